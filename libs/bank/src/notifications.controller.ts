import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, ApiProblem, CurrentUser, type Principal } from '#libs/platform';
import { AccountNotificationsService } from './account-notifications.service.js';
import { ListNotificationsQueryDto, NotificationPageDto } from './dto/notification.dto.js';

@ApiTags('bank')
@ApiAuthenticated()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: AccountNotificationsService) {}

  @Get()
  @ApiOperation({
    summary: 'The delivery log of one of your accounts, newest first',
    description:
      'Every notification: event, template, recipient, status, SES message id, attempts.',
  })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiProblem(400, 'accountId missing or not a UUID, or an invalid query or cursor')
  @ApiProblem(404, 'No such account of yours')
  list(
    @CurrentUser() principal: Principal,
    @Query() query: ListNotificationsQueryDto,
  ): Promise<NotificationPageDto> {
    return this.notifications.list(principal, query);
  }
}
