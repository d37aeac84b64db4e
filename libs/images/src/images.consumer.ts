import { Logger } from '@nestjs/common';
import { QueueConsumer, type InboundMessage, type MessageConsumer } from '#libs/platform';
import { ImageProcessor } from './image-processor.service.js';
import { NotAnS3EventError, parseS3Event } from './s3-event.js';

/**
 * The images queue: S3 event notifications for `images/originals/` (one message may carry several
 * records). The same class serves the long-running worker and the worker Lambda. A body that is no
 * S3 event is logged and dropped (retrying cannot fix it).
 */
@QueueConsumer('images')
export class ImagesConsumer implements MessageConsumer {
  private readonly logger = new Logger(ImagesConsumer.name);

  constructor(private readonly processor: ImageProcessor) {}

  async handle(message: InboundMessage): Promise<void> {
    let events;
    try {
      events = parseS3Event(message.body);
    } catch (error) {
      if (!(error instanceof NotAnS3EventError)) throw error;
      this.logger.error({ messageId: message.messageId, err: error }, 'message dropped');
      return;
    }
    const created = events.filter(
      (e) => e.eventName === '' || e.eventName.startsWith('ObjectCreated'),
    );
    const results = await Promise.allSettled(created.map((event) => this.processor.process(event)));
    const failure = results.find((r) => r.status === 'rejected');
    if (failure) throw failure.reason;
  }
}
