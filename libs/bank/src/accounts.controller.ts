import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ApiAuthenticated,
  ApiIdempotencyKey,
  ApiProblem,
  ApiUuidParam,
  CurrentUser,
  uuidV4,
  type Principal,
} from '#libs/platform';
import { AccountsService } from './accounts.service.js';
import { AccountDto, CreateAccountDto, UpdateAccountDto } from './dto/account.dto.js';
import {
  ListOperationsQueryDto,
  OperationDto,
  OperationInputDto,
  OperationPageDto,
} from './dto/operation.dto.js';
import { OperationsService } from './operations.service.js';

const uuid = uuidV4();
const NOT_FOUND = 'No such account of yours';
const INVALID = 'Malformed JSON, an invalid field, or id not a UUID v4';

@ApiTags('bank')
@ApiAuthenticated()
@Controller('accounts')
export class AccountsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly operations: OperationsService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Open an account (balance 0)' })
  @ApiCreatedResponse({ type: AccountDto })
  @ApiProblem(400, 'Malformed JSON or an invalid field')
  @ApiProblem(413)
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
  @ApiUuidParam('id')
  @ApiOkResponse({ type: AccountDto })
  @ApiProblem(400, 'id is not a UUID v4')
  @ApiProblem(404, NOT_FOUND)
  get(@CurrentUser() principal: Principal, @Param('id', uuid) id: string): Promise<AccountDto> {
    return this.accounts.get(principal, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change notification preferences (fields not given stay)' })
  @ApiUuidParam('id')
  @ApiOkResponse({ type: AccountDto })
  @ApiProblem(400, INVALID)
  @ApiProblem(404, NOT_FOUND)
  @ApiProblem(413)
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
  @ApiUuidParam('id')
  @ApiCreatedResponse({ type: OperationDto })
  @ApiProblem(400, `${INVALID}, or an invalid Idempotency-Key`)
  @ApiProblem(404, NOT_FOUND)
  @ApiProblem(
    409,
    'The account is busy (retry), or the Idempotency-Key was reused with a different body or by a concurrent request',
  )
  @ApiProblem(413)
  @ApiProblem(422, 'Insufficient funds, or an invalid amount')
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
  @ApiUuidParam('id')
  @ApiOkResponse({ type: OperationPageDto })
  @ApiProblem(400, 'id not a UUID v4, or an invalid query or cursor')
  @ApiProblem(404, NOT_FOUND)
  operationsPage(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
    @Query() query: ListOperationsQueryDto,
  ): Promise<OperationPageDto> {
    return this.operations.list(principal, id, query);
  }
}
