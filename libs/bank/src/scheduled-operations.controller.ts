import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  ApiAuthenticated,
  ApiProblem,
  ApiUuidParam,
  CurrentUser,
  uuidV4,
  type Principal,
} from '#libs/platform';
import {
  CreateScheduledOperationDto,
  ScheduledOperationDto,
  ScheduledOperationListDto,
} from './dto/scheduled-operation.dto.js';
import { ScheduledOperationsService } from './scheduled-operations.service.js';

const uuid = uuidV4();

@ApiTags('bank')
@ApiAuthenticated()
@ApiUuidParam('id', 'The account')
@ApiProblem(404, 'No such account (or schedule) of yours')
@Controller('accounts/:id/scheduled-operations')
export class ScheduledOperationsController {
  constructor(private readonly schedules: ScheduledOperationsService) {}

  @Post()
  @ApiOperation({
    summary: 'Schedule an operation: once (runAt) or recurring (cron, UTC)',
    description: 'The worker books it when due, exactly once per occurrence.',
  })
  @ApiCreatedResponse({ type: ScheduledOperationDto })
  @ApiProblem(400, 'Malformed JSON, an invalid field, or id not a UUID v4')
  @ApiProblem(413)
  @ApiProblem(422, 'Invalid amount, cron, or both/neither of runAt and cron')
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
  @ApiProblem(400, 'id is not a UUID v4')
  list(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
  ): Promise<ScheduledOperationListDto> {
    return this.schedules.list(principal, id);
  }

  @Delete(':scheduleId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a scheduled operation (booked operations stay)' })
  @ApiUuidParam('scheduleId')
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblem(400, 'id or scheduleId is not a UUID v4')
  async delete(
    @CurrentUser() principal: Principal,
    @Param('id', uuid) id: string,
    @Param('scheduleId', uuid) scheduleId: string,
  ): Promise<void> {
    await this.schedules.delete(principal, id, scheduleId);
  }
}
