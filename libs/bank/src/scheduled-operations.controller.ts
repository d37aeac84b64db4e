import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentUser, type Principal } from '#libs/platform';
import {
  CreateScheduledOperationDto,
  ScheduledOperationDto,
  ScheduledOperationListDto,
} from './dto/scheduled-operation.dto.js';
import { ScheduledOperationsService } from './scheduled-operations.service.js';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('bank')
@ApiBearerAuth()
@ApiNotFoundResponse({ description: 'No such account (or schedule) of yours' })
@Controller('accounts/:id/scheduled-operations')
export class ScheduledOperationsController {
  constructor(private readonly schedules: ScheduledOperationsService) {}

  @Post()
  @ApiOperation({
    summary: 'Schedule an operation: once (runAt) or recurring (cron, UTC)',
    description: 'The worker books it when due, exactly once per occurrence.',
  })
  @ApiCreatedResponse({ type: ScheduledOperationDto })
  @ApiUnprocessableEntityResponse({
    description: 'Invalid amount, cron, or both/neither of runAt and cron',
  })
  create(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() input: CreateScheduledOperationDto,
  ): Promise<ScheduledOperationDto> {
    return this.schedules.create(principal, id, input);
  }

  @Get()
  @ApiOperation({ summary: "The account's scheduled operations" })
  @ApiOkResponse({ type: ScheduledOperationListDto })
  list(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
  ): Promise<ScheduledOperationListDto> {
    return this.schedules.list(principal, id);
  }

  @Delete(':scheduleId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a scheduled operation (booked operations stay)' })
  @ApiNoContentResponse()
  async delete(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
    @Param('scheduleId', uuid) scheduleId: string,
  ): Promise<void> {
    await this.schedules.delete(principal, id, scheduleId);
  }
}
