import type { AlarmSpec } from './manifest.types.js';

export interface QueueAlarmOptions {
  /** Oldest message age (seconds) past which the queue's consumers are not keeping up. */
  readonly oldestMessageAgeSeconds: number;
}

/**
 * The two alarms every queue needs: anything in its dead-letter queue (every attempt failed; fix
 * the cause, then redrive), and a backlog nobody works off (consumers down or too slow).
 */
export function queueAlarms(queue: string, options: QueueAlarmOptions): AlarmSpec[] {
  const sqs = {
    namespace: 'AWS/SQS',
    statistic: 'Maximum',
    periodSeconds: 60,
    evaluationPeriods: 1,
    comparison: 'GreaterThanThreshold',
    // SQS stops sending metrics for a queue idle for hours: nothing to report then.
    treatMissingData: 'notBreaching',
  } as const;
  return [
    {
      ...sqs,
      name: `${queue}-dlq-depth`,
      metric: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: { deadLetterQueue: queue } },
      threshold: 0,
      purpose: `Messages of ${queue} dead-lettered after their last attempt`,
    },
    {
      ...sqs,
      name: `${queue}-oldest-message-age`,
      metric: 'ApproximateAgeOfOldestMessage',
      dimensions: { QueueName: { queue } },
      threshold: options.oldestMessageAgeSeconds,
      purpose: `A message of ${queue} waiting longer than ${options.oldestMessageAgeSeconds} s`,
    },
  ];
}
