import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiIdempotencyKey, CurrentUser, type Principal } from '#libs/platform';
import { AccountsService } from './accounts.service.js';
import { AccountDto, CreateAccountDto, UpdateAccountDto } from './dto/account.dto.js';
import {
  ListOperationsQueryDto,
  OperationDto,
  OperationInputDto,
  OperationPageDto,
} from './dto/operation.dto.js';
import { OperationsService } from './operations.service.js';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('bank')
@ApiBearerAuth()
@ApiNotFoundResponse({ description: 'No such account of yours' })
@Controller('accounts')
export class AccountsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly operations: OperationsService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Open an account (balance 0)' })
  @ApiCreatedResponse({ type: AccountDto })
  async create(
    @CurrentUser() principal: Principal,
    @Body() input: CreateAccountDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AccountDto> {
    const account = await this.accounts.create(principal, input);
    response.setHeader('Location', `/accounts/${account.id}`);
    return account;
  }

  @Get(':id')
  @ApiOperation({ summary: 'An account: balance, currency, notification preferences' })
  @ApiOkResponse({ type: AccountDto })
  get(@CurrentUser() principal: Principal, @Param('id', uuid) id: string): Promise<AccountDto> {
    return this.accounts.get(principal, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change notification preferences (fields not given stay)' })
  @ApiOkResponse({ type: AccountDto })
  update(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() input: UpdateAccountDto,
  ): Promise<AccountDto> {
    return this.accounts.update(principal, id, input);
  }

  @Post(':id/operations')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Book a deposit or withdrawal',
    description:
      'Balance, operation and its bank.operation.booked event are written in one DynamoDB ' +
      'transaction. With an Idempotency-Key, repeating the same body books nothing more and ' +
      'returns the first operation (header Idempotent-Replayed: true); a different body answers 409.',
  })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: OperationDto })
  @ApiUnprocessableEntityResponse({ description: 'Insufficient funds, or an invalid amount' })
  async book(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() input: OperationInputDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OperationDto> {
    const { operation, replayed } = await this.operations.book(
      principal,
      id,
      input,
      idempotencyKey,
    );
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    return operation;
  }

  @Get(':id/operations')
  @ApiOperation({ summary: "The account's operations, newest first" })
  @ApiOkResponse({ type: OperationPageDto })
  operationsPage(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
    @Query() query: ListOperationsQueryDto,
  ): Promise<OperationPageDto> {
    return this.operations.list(principal, id, query);
  }
}
