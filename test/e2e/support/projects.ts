import { startTcpProxy } from './tcp-proxy.js';
import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { ResourceNames } from '#libs/aws';
import { DeliveryLogRepository, type DeliveryRecord } from '#libs/notifications';
import type { ProjectEvent } from '#libs/projects';
import { aws, signInUser, startWorkerApp, testConfig } from './harness.js';

/** A fresh Cognito user (unique address per call) with its token and sub. */
export interface TestUser {
  readonly email: string;
  readonly token: string;
  readonly sub: string;
}

export async function newUser(label: string, groups: readonly string[] = []): Promise<TestUser> {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.test`;
  const token = await signInUser(email, groups);
  const payload = JSON.parse(
    Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
  ) as { sub: string };
  return { email, token, sub: payload.sub };
}

export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
  readonly text: string;
}

/** Calls the API as a user; JSON in, JSON (or nothing) out. */
export async function call(
  baseUrl: string,
  user: TestUser | undefined,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(user ? { authorization: `Bearer ${user.token}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  if (text) {
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = {};
    }
  }
  return { status: response.status, headers: response.headers, body, text };
}

export const projectEventsQueue = () =>
  new ResourceNames(testConfig().prefix).queue('project-events');

export async function queueUrl(name = projectEventsQueue()): Promise<string> {
  const result = await aws().sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  return result.QueueUrl ?? '';
}

/** Deletes every visible message (PurgeQueue is refused more than once a minute). */
export async function drainQueue(name = projectEventsQueue()): Promise<void> {
  const url = await queueUrl(name);
  for (let emptyReads = 0; emptyReads < 2;) {
    const { Messages: messages = [] } = await aws().sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (messages.length === 0) {
      emptyReads++;
      continue;
    }
    await aws().sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  }
}

export interface ReceivedEvent {
  readonly message: Message;
  readonly event: ProjectEvent;
  readonly attributes: Readonly<Record<string, string>>;
}

/**
 * Receives (and deletes) project-events messages about the given projects until `count` arrived
 * and the queue stays quiet for `settleMs`, so that an extra (duplicate) message would be seen.
 */
export async function receiveProjectEvents(
  projectIds: readonly string[],
  count: number,
  { timeoutMs = 15_000, settleMs = 1500 } = {},
): Promise<ReceivedEvent[]> {
  const url = await queueUrl();
  const wanted = new Set(projectIds);
  const received: ReceivedEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    const result = await aws().sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = result.Messages ?? [];
    const isMine = (m: Message) => {
      const event = JSON.parse(m.Body ?? '{}') as Partial<ProjectEvent>;
      return event.project !== undefined && wanted.has(event.project.id);
    };
    const mine = messages.filter(isMine);
    const others = messages.filter((m) => !isMine(m));
    if (others.length > 0) {
      // Not ours (another test's project): put it straight back for whoever wants it.
      await aws().sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: url,
          Entries: others.map((m, i) => ({
            Id: String(i),
            ReceiptHandle: m.ReceiptHandle ?? '',
            VisibilityTimeout: 0,
          })),
        }),
      );
    }
    if (mine.length > 0) {
      await aws().sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: url,
          Entries: mine.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
      for (const message of mine) {
        received.push({
          message,
          event: JSON.parse(message.Body ?? '{}') as ProjectEvent,
          attributes: Object.fromEntries(
            Object.entries(message.MessageAttributes ?? {}).map(([k, v]) => [
              k,
              v.StringValue ?? '',
            ]),
          ),
        });
      }
      quietSince = Date.now();
    }
    if (received.length >= count && Date.now() - quietSince >= settleMs) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return received;
}

/** A worker built as the Lambda builds it (no pollers, no cron): tests drive the relay by hand. */
export async function lambdaWorker(
  overrides: NodeJS.ProcessEnv = {},
): Promise<INestApplicationContext> {
  return startWorkerApp(overrides, 'lambda');
}

export { sentEmails, type SentEmail } from './emulator.js';

export async function deliveryRecord(
  worker: INestApplicationContext,
  eventId: string,
  recipient: string,
): Promise<DeliveryRecord | undefined> {
  return worker.get(DeliveryLogRepository).get({ eventId, recipient });
}

/** A loopback TCP proxy in front of the emulator that can be switched off and on (see tcp-proxy.ts). */
export async function switchableProxy(target: URL) {
  const proxy = await startTcpProxy(target.hostname, Number(target.port || 80));
  return { ...proxy, url: `http://127.0.0.1:${proxy.port}` };
}
