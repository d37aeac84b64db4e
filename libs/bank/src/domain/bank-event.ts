import type { OperationType } from './money.js';

export const BANK_EVENT_SOURCE = 'codecraft.bank';
export const OPERATION_BOOKED = 'bank.operation.booked';
export const BANK_BUS = 'bank';

/** Detail of a `bank.operation.booked` event (EventBridge), as written to the outbox. */
export interface OperationBookedDetail {
  /** Our event id (the outbox item's): the idempotency key of every consumer. */
  readonly eventId: string;
  readonly operationId: string;
  readonly accountId: string;
  readonly type: OperationType;
  /** Exact decimal string, e.g. "12.50". */
  readonly amount: string;
  /** The same amount in minor units: what rules compare (numeric matching). */
  readonly amountMinor: number;
  readonly currency: string;
  readonly balanceAfter: string;
  readonly balanceAfterMinor: number;
  readonly reference: string;
  readonly bookedAt: string;
  readonly correlationId: string;
  readonly scheduleId?: string;
}

/** Templates the bank rules name (the rule's target wraps the event with one of them). */
export const BANK_TEMPLATES = [
  'deposit-confirmation',
  'withdrawal-notice',
  'large-operation-alert',
] as const;
export type BankTemplate = (typeof BANK_TEMPLATES)[number];

/** What the notifications queue receives: `{"template": ..., "event": <the EventBridge event>}`. */
export interface BankNotificationMessage {
  readonly template: BankTemplate;
  readonly event: { readonly id: string; readonly detail: OperationBookedDetail };
}

export class MalformedBankMessageError extends Error {
  override name = 'MalformedBankMessageError';
}

export function parseBankNotification(body: string): BankNotificationMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new MalformedBankMessageError('not JSON');
  }
  const message = parsed as { template?: unknown; event?: { detail?: Record<string, unknown> } };
  const detail = typeof parsed === 'object' && parsed !== null ? message.event?.detail : undefined;
  if (
    typeof detail !== 'object' ||
    !BANK_TEMPLATES.includes(message.template as BankTemplate) ||
    typeof detail.eventId !== 'string' ||
    typeof detail.accountId !== 'string' ||
    (detail.type !== 'deposit' && detail.type !== 'withdrawal') ||
    typeof detail.amount !== 'string' ||
    typeof detail.balanceAfter !== 'string' ||
    typeof detail.currency !== 'string' ||
    typeof detail.bookedAt !== 'string'
  ) {
    throw new MalformedBankMessageError('not a bank notification message');
  }
  return parsed as BankNotificationMessage;
}
