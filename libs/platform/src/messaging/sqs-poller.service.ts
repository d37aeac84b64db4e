import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { SQSClient, type Message } from '@aws-sdk/client-sqs';
import { Consumer } from 'sqs-consumer';
import { AppConfig } from '#libs/config';
import type { InboundMessage } from './inbound-message.js';
import { MessageDispatcher } from './message-dispatcher.js';
import { QueueUrls } from './queue-urls.js';

export function toInboundMessage(queue: string, message: Message): InboundMessage {
  return {
    messageId: message.MessageId ?? '',
    queue,
    body: message.Body ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? '1'),
    attributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).flatMap(([key, value]) =>
        value.StringValue === undefined ? [] : [[key, value.StringValue]],
      ),
    ),
  };
}

/**
 * Long-running worker side: one sqs-consumer poller per registered queue. On shutdown it stops
 * receiving and waits for in-flight messages to finish (and be deleted) before the process exits.
 */
@Injectable()
export class SqsPoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SqsPoller.name);
  private readonly consumers: Consumer[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly sqs: SQSClient,
    private readonly urls: QueueUrls,
    private readonly dispatcher: MessageDispatcher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const queue of this.dispatcher.queues) {
      const queueUrl = await this.urls.url(queue);
      const consumer = Consumer.create({
        queueUrl,
        sqs: this.sqs,
        batchSize: this.config.worker.batchSize,
        waitTimeSeconds: this.config.worker.pollWaitSeconds,
        messageSystemAttributeNames: ['ApproximateReceiveCount'],
        messageAttributeNames: ['All'],
        // Drain on stop: wait this long for the current poll and its messages to complete.
        pollingCompleteWaitTimeMs: this.config.shutdownTimeoutMs,
        handleMessage: async (message) => {
          await this.dispatcher.dispatch(toInboundMessage(queue, message));
          return message;
        },
      });
      consumer.on('error', (error) => {
        this.logger.error({ err: error, queue }, 'SQS polling error');
      });
      consumer.on('processing_error', () => {
        // Already logged by the dispatcher with its correlation id; the message stays for retry.
      });
      consumer.start();
      this.consumers.push(consumer);
      this.logger.log({ queue }, 'polling');
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(
      this.consumers.map(
        (consumer) =>
          new Promise<void>((resolve) => {
            if (!consumer.status.isRunning) {
              resolve();
              return;
            }
            consumer.once('stopped', () => {
              resolve();
            });
            consumer.stop({ abort: false });
          }),
      ),
    );
    this.logger.log('pollers stopped; in-flight messages drained');
  }
}
