import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { INestApplicationContext, ModuleMetadata } from '@nestjs/common';
import type { Context, EventBridgeEvent, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createAwsClients, destroyAwsClients } from '#libs/aws';
import { AppConfig } from '#libs/config';
import { applyMigrations } from '#libs/database';
import { MessageDispatcher, TaskRunner } from '#libs/platform';
import { createWorkerApp } from './worker-app.js';

/** A scheduled rule either passes `{ "task": name }` as its input or the raw scheduled event. */
export interface TaskInput {
  readonly task: string;
}
export type WorkerEvent = SQSEvent | TaskInput | EventBridgeEvent<'Scheduled Event', unknown>;

function isSqsEvent(event: WorkerEvent): event is SQSEvent {
  return 'Records' in event && Array.isArray(event.Records);
}

function taskName(event: Exclude<WorkerEvent, SQSEvent>, prefix: string): string {
  if ('task' in event) return event.task;
  const ruleArn = event.resources[0] ?? '';
  const rule = ruleArn.split('/').pop() ?? '';
  return rule.startsWith(`${prefix}-`) ? rule.slice(prefix.length + 1) : rule;
}

export type WorkerHandler = ((
  event: WorkerEvent,
  context: Context,
) => Promise<SQSBatchResponse | undefined>) & {
  /** Closes the cached Nest context (database pool, SDK clients); used by tests and local tooling. */
  close(): Promise<void>;
};

/**
 * Worker Lambda: SQS batches (jobs, project events, S3 image events, notifications) with partial
 * batch failure reporting, and EventBridge schedules for the same tasks the long-running worker
 * runs with cron. Same modules, same consumers.
 */
export function createHandler(extra: ModuleMetadata['imports'] = []): WorkerHandler {
  let cached: Promise<INestApplicationContext> | undefined;
  const app = (): Promise<INestApplicationContext> => {
    cached ??= createWorkerApp(AppConfig.fromEnv(), 'lambda', extra)
      .then(async (context) => context.init())
      .catch((error: unknown) => {
        cached = undefined;
        throw error;
      });
    return cached;
  };
  const handler = async (event: WorkerEvent, context: Context) =>
    handle(await app(), event, context);
  return Object.assign(handler, {
    close: async () => {
      const current = cached;
      cached = undefined;
      if (current) await (await current).close();
    },
  });
}

async function handle(
  nest: INestApplicationContext,
  event: WorkerEvent,
  context: Context,
): Promise<SQSBatchResponse | undefined> {
  if (isSqsEvent(event)) {
    const dispatcher = nest.get(MessageDispatcher);
    const processor = new BatchProcessor(EventType.SQS);
    return processPartialResponse(
      event,
      async (record: SQSRecord) => {
        await dispatcher.dispatch({
          messageId: record.messageId,
          queue: dispatcher.logicalQueue(record.eventSourceARN),
          body: record.body,
          receiptHandle: record.receiptHandle,
          receiveCount: Number(record.attributes.ApproximateReceiveCount || '1'),
          attributes: Object.fromEntries(
            Object.entries(record.messageAttributes).flatMap(([key, value]) =>
              value.stringValue === undefined ? [] : [[key, value.stringValue]],
            ),
          ),
        });
      },
      processor,
      { context },
    );
  }
  await nest.get(TaskRunner).run(taskName(event, nest.get(AppConfig).prefix));
  return undefined;
}

/** The Lambda entry point (CMD dist/apps/worker/src/lambda.handler); the Nest context is built once per container. */
export const handler = createHandler();

/**
 * The worker image's second entry point (`dist/apps/worker/src/lambda.migrate`): applies pending SQL
 * migrations and reports them. The cloud stack runs it on every deployment (a CDK Trigger), so a
 * deploy leaves the schema current; a failure throws and fails the deployment.
 */
export async function migrate(): Promise<{ applied: string[] }> {
  const config = AppConfig.fromEnv();
  const clients = createAwsClients(config.aws);
  try {
    return { applied: await applyMigrations(config, clients.secrets) };
  } finally {
    destroyAwsClients(clients);
  }
}
