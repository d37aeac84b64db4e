import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, type Principal } from '#libs/platform';
import { AccountNotificationsService } from './account-notifications.service.js';
import { ListNotificationsQueryDto, NotificationPageDto } from './dto/notification.dto.js';

@ApiTags('bank')
@ApiBearerAuth()
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
  @ApiNotFoundResponse({ description: 'No such account of yours' })
  list(
    @CurrentUser() principal: Principal,
    @Query() query: ListNotificationsQueryDto,
  ): Promise<NotificationPageDto> {
    return this.notifications.list(principal, query);
  }
}
