import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ResourceNames } from '#libs/aws';
import {
  CORRELATION_ATTRIBUTE,
  normalizeCorrelationId,
  withCorrelationId,
} from '../logging/correlation.js';
import { QUEUE_CONSUMER, type InboundMessage, type MessageConsumer } from './inbound-message.js';
import { QueueUrls } from './queue-urls.js';

/** Exponential backoff between deliveries: 2, 4, 8 ... seconds, capped at 15 minutes. */
export function retryDelaySeconds(receiveCount: number, baseSeconds = 2): number {
  return Math.min(baseSeconds * 2 ** Math.max(0, receiveCount - 1), 900);
}

/**
 * Routes a message to the consumer registered for its queue, inside the message's correlation
 * context. On failure it pushes the next delivery out (backoff) and rethrows, so SQS retries and
 * finally moves the message to the DLQ.
 */
@Injectable()
export class MessageDispatcher implements OnModuleInit {
  private readonly logger = new Logger(MessageDispatcher.name);
  private readonly consumers = new Map<string, MessageConsumer>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly sqs: SQSClient,
    private readonly queueUrls: QueueUrls,
    private readonly names: ResourceNames,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!wrapper.metatype || !instance) continue;
      const queue = Reflect.getMetadata(QUEUE_CONSUMER, wrapper.metatype) as string | undefined;
      if (!queue) continue;
      if (this.consumers.has(queue)) throw new Error(`Two consumers registered for queue ${queue}`);
      this.consumers.set(queue, instance as MessageConsumer);
    }
  }

  get queues(): readonly string[] {
    return [...this.consumers.keys()];
  }

  /** Maps a physical queue name or ARN back to its logical name. */
  logicalQueue(physicalNameOrArn: string): string {
    const name = physicalNameOrArn.split(':').pop() ?? physicalNameOrArn;
    const prefix = `${this.names.prefix}-`;
    return name.startsWith(prefix) ? name.slice(prefix.length) : name;
  }

  async dispatch(message: InboundMessage): Promise<void> {
    const consumer = this.consumers.get(message.queue);
    if (!consumer) throw new Error(`No consumer registered for queue ${message.queue}`);
    const correlationId = normalizeCorrelationId(message.attributes[CORRELATION_ATTRIBUTE]);
    await withCorrelationId(correlationId, async () => {
      const started = Date.now();
      try {
        await consumer.handle(message);
        this.logger.log(
          {
            queue: message.queue,
            messageId: message.messageId,
            receiveCount: message.receiveCount,
            ms: Date.now() - started,
          },
          'message handled',
        );
      } catch (error) {
        const delay = retryDelaySeconds(message.receiveCount);
        this.logger.error(
          {
            err: error,
            queue: message.queue,
            messageId: message.messageId,
            receiveCount: message.receiveCount,
            retryInSeconds: delay,
          },
          'message failed',
        );
        await this.postpone(message, delay);
        throw error;
      }
    });
  }

  private async postpone(message: InboundMessage, seconds: number): Promise<void> {
    try {
      const queueUrl = await this.queueUrls.url(message.queue);
      await this.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: message.receiptHandle,
          VisibilityTimeout: seconds,
        }),
      );
    } catch (error) {
      // The queue's own visibility timeout still applies; the message is not lost.
      this.logger.warn({ err: error, messageId: message.messageId }, 'could not set retry backoff');
    }
  }
}
