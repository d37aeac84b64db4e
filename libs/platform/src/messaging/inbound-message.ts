import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';

/** A message as the consumers see it, whether it came from the poller or a Lambda SQS event. */
export interface InboundMessage {
  readonly messageId: string;
  /** Logical queue name from the resource manifest (e.g. `jobs`). */
  readonly queue: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** 1 on first delivery; SQS's ApproximateReceiveCount. */
  readonly receiveCount: number;
  readonly receiptHandle: string;
}

/** One class per message type: `handle` throws to leave the message for SQS retry and the DLQ. */
export interface MessageConsumer {
  handle(message: InboundMessage): Promise<void>;
}

export const QUEUE_CONSUMER = Symbol('codecraft:queue-consumer');

/** Registers a provider as the consumer of a logical queue (one consumer per queue). */
export const QueueConsumer = (queue: string) =>
  applyDecorators(Injectable(), SetMetadata(QUEUE_CONSUMER, queue));
