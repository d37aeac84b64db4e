import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { ResourceNames } from '#libs/aws';
import type { ProbeCommand } from '../fixtures/probe.consumer.js';
import { aws, eventually, spawnNode, testConfig, testEnv } from './support/harness.js';

describe('long-running worker', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'worker-'));
  const queueName = new ResourceNames(testConfig().prefix).queue('probe');
  let queueUrl = '';

  before(async () => {
    const created = await aws().sqs.send(
      new CreateQueueCommand({ QueueName: queueName, Attributes: { VisibilityTimeout: '30' } }),
    );
    queueUrl = created.QueueUrl ?? '';
  });
  after(async () => {
    await aws().sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    rmSync(scratch, { recursive: true, force: true });
  });

  it('drains an in-flight message on SIGTERM: finished once, deleted, exit 0', async () => {
    const worker = spawnNode(
      'dist/test/fixtures/probe-worker.js',
      testEnv({ LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '20000' }),
    );
    try {
      await eventually(
        () => (worker.output().includes('worker started') ? true : undefined),
        20_000,
        'worker start',
      );
      const command: ProbeCommand = {
        action: 'slow',
        ms: 2500,
        startedFile: join(scratch, 'started'),
        doneFile: join(scratch, 'done'),
      };
      const sent = await aws().sqs.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(command) }),
      );
      await eventually(
        () => (existsSync(join(scratch, 'started')) ? true : undefined),
        20_000,
        'message start',
      );

      worker.child.kill('SIGTERM');
      const code = await worker.exited;
      assert.equal(code, 0, worker.output());
      assert.equal(
        readFileSync(join(scratch, 'done'), 'utf8'),
        `${sent.MessageId ?? ''}\n`,
        'finished exactly once before exit',
      );
      assert.match(worker.output(), /in-flight messages drained/);

      const attributes = await aws().sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      assert.equal(attributes.Attributes?.ApproximateNumberOfMessages, '0');
      assert.equal(
        attributes.Attributes.ApproximateNumberOfMessagesNotVisible,
        '0',
        'deleted, so it can never be redelivered',
      );
    } finally {
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    }
  });
});
