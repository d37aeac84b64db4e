import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { eventually } from './harness.js';
import { call, sentEmails, type HttpResult, type TestUser } from './projects.js';

export interface AccountBody {
  readonly id: string;
  readonly email: string;
  readonly currency: string;
  readonly balance: string;
  readonly notifications: Record<string, boolean>;
}

export interface OperationBody {
  readonly id: string;
  readonly number: number;
  readonly type: string;
  readonly amount: string;
  readonly balanceAfter: string;
  readonly eventId: string;
  readonly correlationId: string;
  readonly bookedAt: string;
  readonly scheduleId?: string;
}

export interface NotificationBody {
  readonly eventId: string;
  readonly template: string;
  readonly recipient: string | null;
  readonly status: string;
  readonly sesMessageId?: string;
  readonly attempts: number;
  readonly attemptLog: { outcome: string; sesMessageId?: string }[];
  readonly reason?: string;
  readonly lastError?: string;
  readonly permanent?: boolean;
  readonly correlationId?: string;
}

export async function openAccount(
  api: string,
  user: TestUser,
  overrides: Record<string, unknown> = {},
): Promise<AccountBody> {
  const created = await call(api, user, 'POST', '/accounts', {
    body: {
      holderName: 'Ada <Lovelace>',
      email: `holder-${randomUUID().slice(0, 8)}@example.test`,
      currency: 'EUR',
      ...overrides,
    },
  });
  assert.equal(created.status, 201, created.text);
  return created.body as unknown as AccountBody;
}

export function book(
  api: string,
  user: TestUser,
  accountId: string,
  body: { type: string; amount: string; reference?: string },
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  return call(api, user, 'POST', `/accounts/${accountId}/operations`, {
    body: { reference: 'test', ...body },
    headers,
  });
}

export async function notificationLog(
  api: string,
  user: TestUser,
  accountId: string,
): Promise<NotificationBody[]> {
  const result = await call(api, user, 'GET', `/notifications?accountId=${accountId}`);
  assert.equal(result.status, 200, result.text);
  return result.body.items as NotificationBody[];
}

/** Waits until `count` e-mails to `address` were accepted, then a little more for extras. */
export async function emailsTo(address: string, count: number, settleMs = 1500) {
  await eventually(
    async () => ((await sentEmails(address)).length >= count ? true : undefined),
    30_000,
    `${count} e-mail(s) to ${address}`,
  );
  await new Promise((r) => setTimeout(r, settleMs));
  return sentEmails(address);
}
