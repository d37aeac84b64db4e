import { Injectable } from '@nestjs/common';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CORRELATION_ATTRIBUTE, currentCorrelationId } from '../logging/correlation.js';
import { QueueUrls } from './queue-urls.js';

export interface PublishOptions {
  readonly delaySeconds?: number;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly correlationId?: string;
}

/** Sends JSON messages to a logical queue, carrying the correlation id as a message attribute. */
@Injectable()
export class MessagePublisher {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrls: QueueUrls,
  ) {}

  async publish(queue: string, body: unknown, options: PublishOptions = {}): Promise<string> {
    const correlationId = options.correlationId ?? currentCorrelationId();
    const attributes = {
      ...options.attributes,
      ...(correlationId ? { [CORRELATION_ATTRIBUTE]: correlationId } : {}),
    };
    const result = await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: await this.queueUrls.url(queue),
        MessageBody: JSON.stringify(body),
        ...(options.delaySeconds ? { DelaySeconds: options.delaySeconds } : {}),
        MessageAttributes: Object.fromEntries(
          Object.entries(attributes).map(([key, value]) => [
            key,
            { DataType: 'String', StringValue: value },
          ]),
        ),
      }),
    );
    return result.MessageId ?? '';
  }
}
