import { declareResources, queueAlarms, type AlarmSpec, type RuleSpec } from '#libs/aws';
import { OUTBOX_BACKLOG_AGE_METRIC, OUTBOX_BACKLOG_DIMENSIONS } from './bank-event-relay.task.js';
import { NOTIFICATIONS_QUEUE } from './bank-notifications.consumer.js';
import { bankEmailTemplates } from './bank.templates.js';
import { BANK_TEMPLATES, type BankTemplate } from './domain/bank-event.js';

/**
 * Bank operations of at least this amount (minor units of the account's currency, no exchange
 * rates) are routed to the large-operation alert instead of the ordinary notice.
 */
export const LARGE_OPERATION_MINOR_UNITS = 1_000_000;

const BANK_BUS = 'bank';
const BANK_EVENT = { source: ['codecraft.bank'], 'detail-type': ['bank.operation.booked'] };

/**
 * The bank rules are mutually exclusive (EventBridge numeric matching on detail.amountMinor), so
 * every event reaches the notifications queue once; each target wraps the event with the template
 * its rule stands for.
 */
function bankRules(largeFrom: number): RuleSpec[] {
  const rule = (
    name: string,
    template: BankTemplate,
    detail: Record<string, unknown>,
    purpose: string,
  ): RuleSpec => ({
    name,
    bus: BANK_BUS,
    pattern: { ...BANK_EVENT, detail },
    queue: NOTIFICATIONS_QUEUE,
    targetInputTemplate: `{"template":"${template}","event":<aws.events.event.json>}`,
    purpose,
  });
  const below = [{ numeric: ['<', largeFrom] }];
  return [
    rule(
      'bank-deposits',
      'deposit-confirmation',
      { type: ['deposit'], amountMinor: below },
      'Deposits to the notifications queue',
    ),
    rule(
      'bank-withdrawals',
      'withdrawal-notice',
      { type: ['withdrawal'], amountMinor: below },
      'Withdrawals to the notifications queue',
    ),
    rule(
      'bank-large-operations',
      'large-operation-alert',
      { amountMinor: [{ numeric: ['>=', largeFrom] }] },
      'Operations of LARGE_OPERATION_MINOR_UNITS or more to the notifications queue',
    ),
  ];
}

/** Alarms on the worker's own EMF metrics (namespace METRICS_NAMESPACE, service dimension). */
const appMetric = {
  namespace: 'app',
  periodSeconds: 60,
  evaluationPeriods: 1,
  comparison: 'GreaterThanThreshold',
  // Written only when something happens: no data is no trouble.
  treatMissingData: 'notBreaching',
} as const;

/** The consumer writes EmailsFailed per template (bank-notifications.consumer.ts). */
const emailsFailed = (template: BankTemplate): AlarmSpec => ({
  ...appMetric,
  name: `emails-failed-${template}`,
  metric: 'EmailsFailed',
  dimensions: { service: { service: 'worker' }, template: { value: template } },
  statistic: 'Sum',
  threshold: 0,
  purpose: `A ${template} e-mail that SES refused or that could not be sent`,
});

/**
 * The bank: accounts, operations, scheduled operations, the event outbox, the bus and its rules
 * to the notifications queue, the e-mails they send, and the alarms on all of it. The schedules
 * come from its tasks (bank-event-relay, bank-scheduled-operations).
 */
export const bankResources = declareResources({
  owner: 'bank',
  tables: [
    {
      name: 'bank-accounts',
      purpose: 'Bank accounts: holder, currency, balance (integer minor units), preferences',
      partitionKey: { name: 'id', type: 'S' },
      indexes: [
        {
          name: 'by-owner',
          partitionKey: { name: 'ownerId', type: 'S' },
          sortKey: { name: 'createdAt', type: 'S' },
        },
      ],
    },
    {
      name: 'bank-operations',
      purpose: "An account's booked operations; seq is the account's zero-padded operation number",
      partitionKey: { name: 'accountId', type: 'S' },
      sortKey: { name: 'seq', type: 'S' },
      // Idempotency-Key replays find the operation a key booked by its id.
      indexes: [{ name: 'by-id', partitionKey: { name: 'id', type: 'S' } }],
    },
    {
      name: 'bank-event-outbox',
      purpose:
        'Events written in the booking transaction, relayed to EventBridge, deleted once put',
      partitionKey: { name: 'id', type: 'S' },
      // Sparse: only items not yet put carry `pending`.
      indexes: [
        {
          name: 'by-pending',
          partitionKey: { name: 'pending', type: 'S' },
          sortKey: { name: 'createdAt', type: 'S' },
        },
      ],
    },
    {
      name: 'bank-schedules',
      purpose: 'Scheduled (one-off or cron) operations and their next run',
      partitionKey: { name: 'id', type: 'S' },
      indexes: [
        {
          name: 'by-account',
          partitionKey: { name: 'accountId', type: 'S' },
          sortKey: { name: 'createdAt', type: 'S' },
        },
        // Sparse: only active schedules carry `due`; the scheduler queries nextRunAt <= now.
        {
          name: 'by-due',
          partitionKey: { name: 'due', type: 'S' },
          sortKey: { name: 'nextRunAt', type: 'S' },
        },
      ],
    },
  ],
  queues: [
    {
      name: NOTIFICATIONS_QUEUE,
      purpose: 'Bank-operation events routed by EventBridge',
      visibilityTimeoutSeconds: 60,
      maxReceiveCount: 5,
    },
  ],
  buses: [{ name: BANK_BUS, purpose: 'Bank operation events' }],
  rules: bankRules(LARGE_OPERATION_MINOR_UNITS),
  emailTemplates: bankEmailTemplates,
  alarms: [
    ...queueAlarms(NOTIFICATIONS_QUEUE, { oldestMessageAgeSeconds: 300 }),
    ...BANK_TEMPLATES.map(emailsFailed),
    {
      ...appMetric,
      name: 'bank-event-outbox-backlog-age',
      metric: OUTBOX_BACKLOG_AGE_METRIC,
      dimensions: {
        service: { service: 'worker' },
        outbox: { value: OUTBOX_BACKLOG_DIMENSIONS.outbox },
      },
      statistic: 'Maximum',
      threshold: 300,
      purpose:
        'A booked operation whose event has not reached EventBridge for 5 minutes (no e-mail yet)',
    },
  ],
});
