import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { isAwsError } from '../../aws-errors.js';
import type { ResourceNames } from '../../resource-names.js';
import type { QueueSpec } from '../manifest.types.js';
import { required, sameJson, type StepLog } from './bootstrap-support.js';

interface PolicyDocument {
  Version: string;
  Statement: { Sid?: string; [key: string]: unknown }[];
}

/**
 * Each queue with its dead-letter queue and redrive policy; remembers their URLs and ARNs for the
 * bucket notifications and rules that target them, and grants those services the right to send.
 */
export class SqsQueues {
  private readonly arns = new Map<string, string>();
  private readonly urls = new Map<string, string>();

  constructor(
    private readonly sqs: SQSClient,
    private readonly names: ResourceNames,
    private readonly log: StepLog,
  ) {}

  async ensure(spec: QueueSpec): Promise<void> {
    const dlqArn = await this.upsert(this.names.deadLetterQueue(spec.name), {
      MessageRetentionPeriod: String(14 * 24 * 3600),
    });
    const name = this.names.queue(spec.name);
    const arn = await this.upsert(name, {
      VisibilityTimeout: atLeast(spec.visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(spec.retentionSeconds ?? 4 * 24 * 3600),
      ReceiveMessageWaitTimeSeconds: '20',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: dlqArn,
        maxReceiveCount: spec.maxReceiveCount,
      }),
    });
    this.arns.set(spec.name, arn);
    this.urls.set(spec.name, await queueUrl(this.sqs, name));
  }

  /** The ARN of a manifest queue ensured earlier in this run. */
  arn(logicalQueue: string): string {
    return required(
      this.arns.get(logicalQueue),
      `queue ${logicalQueue} (declare it in the manifest)`,
    );
  }

  /** Lets S3 and EventBridge deliver into a queue (the queue policy is a single document). */
  async allowServiceToSend(
    logicalQueue: string,
    sourceArn: string,
    service: string,
  ): Promise<void> {
    const url = required(
      this.urls.get(logicalQueue),
      `queue ${logicalQueue} (declare it in the manifest)`,
    );
    const current = await this.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy'] }),
    );
    const policy = parsePolicy(current.Attributes?.Policy);
    const sid =
      `allow-${service.split('.')[0] ?? service}-${sourceArn.split(':').pop() ?? ''}`.replace(
        /[^\w-]/g,
        '-',
      );
    if (policy.Statement.some((s) => s.Sid === sid)) return;
    policy.Statement.push({
      Sid: sid,
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sqs:SendMessage',
      Resource: this.arn(logicalQueue),
      Condition: { ArnEquals: { 'aws:SourceArn': sourceArn } },
    });
    await this.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: { Policy: JSON.stringify(policy) },
      }),
    );
  }

  /** Creates the queue or brings its attributes in line; returns its ARN. */
  private async upsert(name: string, spec: Record<string, string | Floor>): Promise<string> {
    const wanted = Object.fromEntries(
      Object.entries(spec).map(([key, value]) => [
        key,
        typeof value === 'string' ? value : value.floor,
      ]),
    );
    const url = await queueUrl(this.sqs, name).catch((error: unknown) => {
      if (isAwsError(error, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue'))
        return undefined;
      throw error;
    });
    if (!url) {
      const created = await this.sqs.send(
        new CreateQueueCommand({ QueueName: name, Attributes: wanted }),
      );
      const arn = await queueArn(this.sqs, required(created.QueueUrl, 'QueueUrl'));
      this.log.record('queue', name, 'created');
      return arn;
    }
    const current = await this.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    const attributes: Record<string, string | undefined> = current.Attributes ?? {};
    const drift = Object.entries(wanted).filter(([key, value]) => {
      const floor = spec[key];
      if (typeof floor !== 'string') return !(Number(attributes[key]) >= Number(floor?.floor));
      return !sameJson(attributes[key], value);
    });
    if (drift.length > 0) {
      await this.sqs.send(
        new SetQueueAttributesCommand({ QueueUrl: url, Attributes: Object.fromEntries(drift) }),
      );
    }
    this.log.record('queue', name, drift.length > 0 ? 'updated' : 'unchanged');
    return required(attributes.QueueArn, 'QueueArn');
  }
}

/**
 * An attribute the manifest gives as a minimum. The visibility timeout: the CDK stack raises it
 * to six times the consuming function's timeout (Lambda's rule for SQS event sources), which a
 * bootstrap run against that account must not lower back.
 */
interface Floor {
  readonly floor: string;
}

function atLeast(value: number): Floor {
  return { floor: String(value) };
}

async function queueUrl(sqs: SQSClient, name: string): Promise<string> {
  const result = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  return required(result.QueueUrl, 'QueueUrl');
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const result = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return required(result.Attributes?.QueueArn, 'QueueArn');
}

function parsePolicy(raw: string | undefined): PolicyDocument {
  if (!raw) return { Version: '2012-10-17', Statement: [] };
  const parsed = JSON.parse(raw) as Partial<PolicyDocument>;
  return {
    Version: parsed.Version ?? '2012-10-17',
    Statement: Array.isArray(parsed.Statement) ? parsed.Statement : [],
  };
}
