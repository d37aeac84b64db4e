import { Injectable } from '@nestjs/common';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ResourceNames } from '#libs/aws';

/** Resolves (and caches) queue URLs from logical manifest names. */
@Injectable()
export class QueueUrls {
  private readonly cache = new Map<string, Promise<string>>();

  constructor(
    private readonly sqs: SQSClient,
    private readonly names: ResourceNames,
  ) {}

  url(logical: string): Promise<string> {
    return this.resolve(this.names.queue(logical));
  }

  deadLetterUrl(logical: string): Promise<string> {
    return this.resolve(this.names.deadLetterQueue(logical));
  }

  private resolve(name: string): Promise<string> {
    let url = this.cache.get(name);
    if (!url) {
      url = this.sqs.send(new GetQueueUrlCommand({ QueueName: name })).then((r) => {
        if (!r.QueueUrl) throw new Error(`Queue ${name} has no URL`);
        return r.QueueUrl;
      });
      url.catch(() => this.cache.delete(name));
      this.cache.set(name, url);
    }
    return url;
  }
}
