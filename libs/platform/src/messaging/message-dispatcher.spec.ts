import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Logger } from '@nestjs/common';
import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DiscoveryService } from '@nestjs/core';
import { ResourceNames } from '#libs/aws';
import { currentCorrelationId } from '../logging/correlation.js';
import { QUEUE_CONSUMER, type InboundMessage, type MessageConsumer } from './inbound-message.js';
import { MessageDispatcher, retryDelaySeconds } from './message-dispatcher.js';
import type { QueueUrls } from './queue-urls.js';

class RecordingConsumer implements MessageConsumer {
  seen: (string | undefined)[] = [];
  fail = false;
  handle(): Promise<void> {
    this.seen.push(currentCorrelationId());
    return this.fail ? Promise.reject(new Error('boom')) : Promise.resolve();
  }
}

function setup() {
  const consumer = new RecordingConsumer();
  Reflect.defineMetadata(QUEUE_CONSUMER, 'jobs', RecordingConsumer);
  const sent: unknown[] = [];
  const sqs = {
    send: (command: unknown) => (sent.push(command), Promise.resolve({})),
  } as unknown as SQSClient;
  const urls = { url: () => Promise.resolve('http://queue/jobs') } as unknown as QueueUrls;
  const discovery = {
    getProviders: () => [{ metatype: RecordingConsumer, instance: consumer }],
  } as unknown as DiscoveryService;
  const dispatcher = new MessageDispatcher(discovery, sqs, urls, new ResourceNames('cc'));
  dispatcher.onModuleInit();
  return { consumer, sent, dispatcher };
}

const message = (overrides: Partial<InboundMessage> = {}): InboundMessage => ({
  messageId: 'm-1',
  queue: 'jobs',
  body: '{}',
  attributes: { correlationId: 'corr-42' },
  receiveCount: 1,
  receiptHandle: 'rh',
  ...overrides,
});

describe('MessageDispatcher', () => {
  before(() => {
    Logger.overrideLogger(false);
  });
  it('runs the consumer inside the message correlation id', async () => {
    const { consumer, dispatcher } = setup();
    await dispatcher.dispatch(message());
    assert.deepEqual(consumer.seen, ['corr-42']);
  });

  it('postpones a failed message with exponential backoff and rethrows', async () => {
    const { consumer, sent, dispatcher } = setup();
    consumer.fail = true;
    await assert.rejects(dispatcher.dispatch(message({ receiveCount: 3 })), /boom/);
    const command = sent[0];
    assert.ok(command instanceof ChangeMessageVisibilityCommand);
    assert.equal(command.input.VisibilityTimeout, 8);
  });

  it('rejects messages for a queue nobody consumes', async () => {
    const { dispatcher } = setup();
    await assert.rejects(dispatcher.dispatch(message({ queue: 'unknown' })), /No consumer/);
  });

  it('maps physical queue names and ARNs to logical names', () => {
    const { dispatcher } = setup();
    assert.equal(dispatcher.logicalQueue('arn:aws:sqs:us-east-1:000000000000:cc-jobs'), 'jobs');
  });

  it('caps the backoff at 15 minutes', () => {
    assert.deepEqual(
      [1, 2, 3, 20].map((n) => retryDelaySeconds(n)),
      [2, 4, 8, 900],
    );
  });
});
