import { SQS_MAX_DELAY_SECONDS, type Job } from './job.js';

/**
 * What to do with a message whose job could not be claimed (the conditional claim failed). Every
 * branch is safe under redelivery: nothing here runs a handler.
 */
export type Settlement =
  /** Delete the message: the job is finished, cancelled, gone, or running under a live lease. */
  | { readonly kind: 'ack'; readonly reason: string }
  /** FAILED but its message never reached the DLQ (a crash between the two steps): send it now. */
  | { readonly kind: 'dead-letter' }
  /** The worker died during the last allowed attempt: mark FAILED, then dead-letter. */
  | { readonly kind: 'exhaust' }
  /** Delivered before it is due: send again with the remaining delay, delete this one. */
  | { readonly kind: 'defer'; readonly delaySeconds: number }
  /** Lost a race whose outcome is unclear: keep the message and let SQS deliver it again. */
  | { readonly kind: 'retry'; readonly reason: string };

export function settleUnclaimed(job: Job | undefined, nowMs: number): Settlement {
  if (!job) return { kind: 'ack', reason: 'job not found' };
  const now = new Date(nowMs).toISOString();
  switch (job.status) {
    case 'SUCCEEDED':
    case 'CANCELLED':
      return { kind: 'ack', reason: `job already ${job.status}` };
    case 'FAILED':
      return job.deadLetteredAt
        ? { kind: 'ack', reason: 'job already FAILED and dead-lettered' }
        : { kind: 'dead-letter' };
    case 'RUNNING':
      if (job.leaseUntil !== undefined && job.leaseUntil > now)
        return { kind: 'ack', reason: 'job running under another live lease' };
      if (job.attempts >= job.maxAttempts) return { kind: 'exhaust' };
      return { kind: 'retry', reason: 'lease expired but the claim failed' };
    case 'QUEUED': {
      if (job.runAt > now) {
        const delaySeconds = Math.ceil((Date.parse(job.runAt) - nowMs) / 1000);
        return delaySeconds > SQS_MAX_DELAY_SECONDS
          ? { kind: 'ack', reason: 'not due for over 15 minutes: the sweeper releases it' }
          : { kind: 'defer', delaySeconds };
      }
      if (job.attempts >= job.maxAttempts) return { kind: 'exhaust' };
      return { kind: 'retry', reason: 'queued job could not be claimed' };
    }
  }
}
