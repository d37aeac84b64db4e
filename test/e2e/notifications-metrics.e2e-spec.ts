import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  eventually,
  spawnNode,
  startApi,
  testConfig,
  testEnv,
  type RunningApi,
  type SpawnedProcess,
} from './support/harness.js';
import { newUser } from './support/projects.js';
import { book, emailsTo, openAccount } from './support/bank.js';

interface EmfDocument {
  _aws: {
    CloudWatchMetrics: { Namespace: string; Metrics: { Name: string; Unit: string }[] }[];
  };
  [key: string]: unknown;
}

/** The EMF documents in a process's output (one JSON object per line with an `_aws` member). */
function emfDocuments(output: string): EmfDocument[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{"_aws"'))
    .map((line) => JSON.parse(line) as EmfDocument);
}

describe('CloudWatch EMF metrics written by the worker process', () => {
  let api: RunningApi;
  let worker: SpawnedProcess;

  before(async () => {
    // The worker relays the bank outbox here (and so counts OperationsBooked in its own output);
    // with OUTBOX_RELAY_ON_COMMIT the API would relay, and count, first.
    api = await startApi(testConfig({ OUTBOX_RELAY_ON_COMMIT: 'false' }));
    // The worker as `npm run start:worker` runs it; its stdout is what CloudWatch Logs would get.
    worker = spawnNode('dist/apps/worker/src/main.js', testEnv({ LOG_LEVEL: 'info' }));
    await eventually(
      () => (worker.output().includes('worker started') ? true : undefined),
      20_000,
      'the worker to start',
    );
  });
  after(async () => {
    worker.child.kill('SIGTERM');
    await worker.exited;
    await api.close();
  });

  it('prints operations booked, e-mails sent/failed and processing latency as EMF', async () => {
    const user = await newUser('metrics');
    const account = await openAccount(api.url, user);
    const correlationId = `metrics-${Date.now()}`;
    assert.equal(
      (
        await book(
          api.url,
          user,
          account.id,
          { type: 'deposit', amount: '9.99' },
          { 'x-correlation-id': correlationId },
        )
      ).status,
      201,
    );
    await emailsTo(account.email, 1, 0);
    const documents = await eventually(
      () => {
        const found = emfDocuments(worker.output());
        const names = new Set(
          found.flatMap((d) => d._aws.CloudWatchMetrics[0]?.Metrics ?? []).map((m) => m.Name),
        );
        return ['OperationsBooked', 'EmailsSent', 'EmailsFailed', 'ProcessingLatency'].every((n) =>
          names.has(n),
        )
          ? found
          : undefined;
      },
      15_000,
      'the EMF lines',
    );
    // The emulator is shared with the other suites: this worker may relay their leftovers too.
    const booked = documents.find((d) => 'OperationsBooked' in d && d.operationType === 'deposit');
    assert.equal(booked?.OperationsBooked, 1);
    assert.equal(booked._aws.CloudWatchMetrics[0]?.Namespace, 'CodeCraft');
    const sent = documents.find((d) => d.EmailsSent === 1 && d.template === 'deposit-confirmation');
    assert.equal(sent?.EmailsSent, 1);
    assert.equal(sent.EmailsFailed, 0);
    assert.equal(sent.template, 'deposit-confirmation');
    assert.equal(typeof sent.ProcessingLatency, 'number');
    assert.deepEqual(
      sent._aws.CloudWatchMetrics[0]?.Metrics.find((m) => m.Name === 'ProcessingLatency')?.Unit,
      'Milliseconds',
    );
    // The request's correlation id is on the worker's log line of the SES call (HTTP → outbox →
    // EventBridge → SQS → consumer → SES).
    const sesLine = worker
      .output()
      .split('\n')
      .find((line) => line.includes('"e-mail sent"') && line.includes(account.id));
    assert.ok(sesLine?.includes(`"correlationId":"${correlationId}"`), sesLine);
  });
});
