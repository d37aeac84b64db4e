import { Injectable } from '@nestjs/common';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import { CORRELATION_ATTRIBUTE, MessagePublisher, QueueUrls } from '#libs/platform';
import { parseJobMessage, toJobMessage, type Job, type JobMessage } from './domain/job.js';

export const JOBS_QUEUE = 'jobs';

export interface DeadLetterCount {
  readonly visible: number;
  readonly inFlight: number;
}

/** The jobs queue and its dead-letter queue. */
@Injectable()
export class JobQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly urls: QueueUrls,
    private readonly publisher: MessagePublisher,
  ) {}

  /** Sends the job's (small) message; the payload stays in the table. */
  async enqueue(
    job: Pick<Job, 'id' | 'type' | 'ownerId' | 'correlationId'>,
    delaySeconds = 0,
  ): Promise<void> {
    await this.publisher.publish(JOBS_QUEUE, toJobMessage(job), {
      delaySeconds,
      ...(job.correlationId ? { correlationId: job.correlationId } : {}),
    });
  }

  /** Puts a failed job's message on the DLQ (kept 14 days) with the error, for redrive. */
  async deadLetter(job: Job, error: string): Promise<void> {
    await this.deadLetterRaw(JSON.stringify(toJobMessage(job)), error, job.correlationId);
  }

  /** Also for messages that are not jobs at all (malformed bodies): kept for inspection. */
  async deadLetterRaw(body: string, error: string, correlationId?: string): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: await this.urls.deadLetterUrl(JOBS_QUEUE),
        MessageBody: body || '(empty)',
        MessageAttributes: {
          jobError: { DataType: 'String', StringValue: error.slice(0, 256) || 'failed' },
          ...(correlationId
            ? { [CORRELATION_ATTRIBUTE]: { DataType: 'String', StringValue: correlationId } }
            : {}),
        },
      }),
    );
  }

  async countDeadLetters(): Promise<DeadLetterCount> {
    const result = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: await this.urls.deadLetterUrl(JOBS_QUEUE),
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return {
      visible: Number(result.Attributes?.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(result.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
    };
  }

  /**
   * Moves up to `max` messages from the DLQ back to the jobs queue: receive, `beforeMove` (the
   * caller resets the job), send, delete. Stops early after two empty receives. A crash between
   * send and delete leaves a duplicate, which the worker's conditional claim makes harmless.
   */
  async redrive(
    max: number,
    beforeMove: (message: JobMessage | undefined) => Promise<void>,
  ): Promise<number> {
    const dlqUrl = await this.urls.deadLetterUrl(JOBS_QUEUE);
    const queueUrl = await this.urls.url(JOBS_QUEUE);
    let moved = 0;
    let emptyReceives = 0;
    while (moved < max && emptyReceives < 2) {
      const received = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: dlqUrl,
          MaxNumberOfMessages: Math.min(10, max - moved),
          WaitTimeSeconds: 0,
          VisibilityTimeout: 30,
          MessageAttributeNames: ['All'],
        }),
      );
      const messages = received.Messages ?? [];
      emptyReceives = messages.length === 0 ? emptyReceives + 1 : 0;
      for (const message of messages) {
        await beforeMove(parseJobMessage(message.Body ?? ''));
        await this.sqs.send(
          new SendMessageCommand({
            QueueUrl: queueUrl,
            MessageBody: message.Body ?? '',
            MessageAttributes: forwardedAttributes(message),
          }),
        );
        await this.sqs.send(
          new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: message.ReceiptHandle }),
        );
        moved++;
      }
    }
    return moved;
  }
}

/** Keeps string attributes such as the correlation id; drops the DLQ-only error note. */
function forwardedAttributes(message: Message): Record<string, MessageAttributeValue> {
  return Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).filter(
      ([name, value]) => name !== 'jobError' && value.DataType === 'String',
    ),
  );
}
