export const JOB_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Upper bound for a job's maxAttempts; the jobs queue's maxReceiveCount equals it (see the manifest). */
export const JOBS_MAX_ATTEMPTS_LIMIT = 10;
/** SQS delivery delay cap; longer delays are held in the table and released by the sweeper. */
export const SQS_MAX_DELAY_SECONDS = 900;
/** Longest delay a job may ask for (7 days). */
export const JOBS_MAX_DELAY_SECONDS = 7 * 24 * 3600;

/** Where a handler left its output. */
export type ResultLocation =
  | { readonly kind: 'dynamodb'; readonly table: string; readonly key: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly key: string };

/** A job as stored in the jobs table (timestamps are ISO-8601 UTC strings, comparable as text). */
export interface Job {
  readonly id: string;
  readonly type: string;
  readonly ownerId: string;
  readonly status: JobStatus;
  /** The payload as JSON text: exact round trip, no DynamoDB type quirks, predictable size. */
  readonly payload: string;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When the job is due (creation time plus its delay). */
  readonly runAt: string;
  /** While QUEUED or RUNNING: when the sweeper must (re-)enqueue it if nothing else has. */
  readonly sweepAt?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** While RUNNING: the claim's lease; another worker may take over only after it. */
  readonly leaseUntil?: string;
  readonly claimToken?: string;
  readonly lastError?: string;
  readonly result?: ResultLocation;
  readonly correlationId?: string;
  /** Set once a FAILED job's message has been sent to the dead-letter queue. */
  readonly deadLetteredAt?: string;
}

/** The SQS message body: just enough to claim the job; the payload is read from DynamoDB. */
export interface JobMessage {
  readonly jobId: string;
  readonly type: string;
  readonly ownerId: string;
}

export function toJobMessage(job: Pick<Job, 'id' | 'type' | 'ownerId'>): JobMessage {
  return { jobId: job.id, type: job.type, ownerId: job.ownerId };
}

export function parseJobMessage(body: string): JobMessage | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { jobId, type, ownerId } = parsed as Record<string, unknown>;
  if (typeof jobId !== 'string' || typeof type !== 'string' || typeof ownerId !== 'string')
    return undefined;
  return { jobId, type, ownerId };
}

export function isTerminal(status: JobStatus): boolean {
  return status === 'SUCCEEDED' || status === 'FAILED' || status === 'CANCELLED';
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * First sweep time of a new job. A delay the queue can carry (<= 15 min) is sent now and the
 * sweeper only looks again `sweepAfter` seconds after the job was due; a longer delay is held
 * until 15 minutes before it is due, when the sweeper sends it with the remaining delay.
 */
export function initialSweepAt(runAtMs: number, nowMs: number, sweepAfterSeconds: number): string {
  const remaining = (runAtMs - nowMs) / 1000;
  return remaining > SQS_MAX_DELAY_SECONDS
    ? iso(runAtMs - SQS_MAX_DELAY_SECONDS * 1000)
    : iso(runAtMs + sweepAfterSeconds * 1000);
}

/** Whether a job's first message is sent at creation (delays over 15 minutes wait for the sweeper). */
export function sendsAtCreation(delaySeconds: number): boolean {
  return delaySeconds <= SQS_MAX_DELAY_SECONDS;
}

/** Whole seconds until `runAt`, clamped to what SQS accepts. */
export function deliveryDelaySeconds(runAt: string, nowMs: number): number {
  const remaining = Math.ceil((Date.parse(runAt) - nowMs) / 1000);
  return Math.min(Math.max(remaining, 0), SQS_MAX_DELAY_SECONDS);
}

/** Error text kept on the job: the message only (never a stack), bounded. */
export function describeError(error: unknown): string {
  const text =
    error instanceof Error
      ? `${error.name}: ${error.message}`
      : `Non-error thrown: ${String(error)}`;
  return text.length > 1000 ? `${text.slice(0, 997)}...` : text;
}
