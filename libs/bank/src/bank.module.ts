import { Module } from '@nestjs/common';
import { NotificationsModule } from '#libs/notifications';
import { EmfMetrics, IdempotencyModule } from '#libs/platform';
import { AccountNotificationsService } from './account-notifications.service.js';
import { AccountsController } from './accounts.controller.js';
import { AccountsRepository } from './accounts.repository.js';
import { AccountsService } from './accounts.service.js';
import { BankEventRelay } from './bank-event-relay.service.js';
import { BankEventVerifier } from './bank-event-verifier.service.js';
import { BankEventRelayTask } from './bank-event-relay.task.js';
import { BankEventsPublisher } from './bank-events.publisher.js';
import { BankNotificationsConsumer } from './bank-notifications.consumer.js';
import { BankNotifier } from './bank-notifier.service.js';
import { BankOutboxRepository } from './bank-outbox.repository.js';
import { BookingService } from './booking.service.js';
import { LedgerRepository } from './ledger.repository.js';
import { NotificationsController } from './notifications.controller.js';
import { OperationsRepository } from './operations.repository.js';
import { OperationsService } from './operations.service.js';
import { ScheduledOperationsController } from './scheduled-operations.controller.js';
import { ScheduledOperationsService } from './scheduled-operations.service.js';
import { ScheduledOperationsTask } from './scheduled-operations.task.js';
import { SchedulesRepository } from './schedules.repository.js';

/**
 * What both apps share: the tables, the booking transaction and the relay that puts a booked
 * operation's event on the bus right after it (the worker also runs that relay on a schedule).
 */
@Module({
  imports: [IdempotencyModule],
  providers: [
    AccountsRepository,
    OperationsRepository,
    BankOutboxRepository,
    SchedulesRepository,
    LedgerRepository,
    EmfMetrics,
    BankEventsPublisher,
    BankEventRelay,
    BookingService,
  ],
  exports: [
    IdempotencyModule,
    EmfMetrics,
    BankEventRelay,
    AccountsRepository,
    OperationsRepository,
    BankOutboxRepository,
    SchedulesRepository,
    BookingService,
  ],
})
export class BankCoreModule {}

/** The API side: accounts, operations, scheduled operations, the delivery log. */
@Module({
  imports: [BankCoreModule, NotificationsModule],
  controllers: [AccountsController, ScheduledOperationsController, NotificationsController],
  providers: [
    AccountsService,
    OperationsService,
    ScheduledOperationsService,
    AccountNotificationsService,
  ],
})
export class BankModule {}

/**
 * The worker side: the outbox relay to EventBridge, the scheduler, and the notifications-queue
 * consumer that e-mails account holders; EMF metrics for all three.
 */
@Module({
  imports: [BankCoreModule, NotificationsModule],
  providers: [
    BankEventRelayTask,
    ScheduledOperationsTask,
    BankEventVerifier,
    BankNotifier,
    BankNotificationsConsumer,
  ],
})
export class BankWorkerModule {}
