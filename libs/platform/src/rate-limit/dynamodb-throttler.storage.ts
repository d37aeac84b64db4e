import { Logger } from '@nestjs/common';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ThrottlerStorage } from '@nestjs/throttler';

/** What the guard reads back (the package does not export this interface by name). */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** How often a counter outage is logged while it lasts (each request would otherwise log). */
const OUTAGE_LOG_INTERVAL_MS = 10_000;
/** Blocked callers remembered in this process; beyond it the memory is swept. */
const MAX_REMEMBERED_BLOCKS = 10_000;
/** Counter items outlive their window by this much before DynamoDB's TTL may delete them. */
const EXPIRY_SLACK_SECONDS = 60;

/**
 * `@nestjs/throttler` storage on DynamoDB: a fixed window per caller, one atomic `ADD` per request
 * on the item `{key}#{windowStart}`, so every API process (and Lambda instance) counts against
 * the same budget. A caller over its limit stays blocked until its window ends (the guard's
 * `blockDuration` is the window); while it is, this process answers without writing again.
 *
 * The counter must never be why a request fails or hangs: a call that errs or exceeds
 * `timeoutMs` lets the request through (fail open) and is logged at most every 10 s.
 */
export class DynamoDbThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private readonly blockedUntil = new Map<string, number>();
  private lastOutageLog = 0;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async increment(key: string, ttlMs: number, limit: number): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    const windowStart = Math.floor(now / ttlMs) * ttlMs;
    const windowEnd = windowStart + ttlMs;
    const secondsLeft = Math.max(1, Math.ceil((windowEnd - now) / 1000));
    const itemKey = `${key}#${windowStart}`;
    if ((this.blockedUntil.get(itemKey) ?? 0) > now) return blocked(limit + 1, secondsLeft);
    const hits = await this.count(itemKey, windowEnd);
    if (hits === undefined || hits <= limit) {
      return {
        totalHits: hits ?? 0,
        timeToExpire: secondsLeft,
        isBlocked: false,
        timeToBlockExpire: 0,
      };
    }
    this.remember(itemKey, windowEnd, now);
    return blocked(hits, secondsLeft);
  }

  /** The window's count after this request, or undefined when the counter cannot tell in time. */
  private async count(itemKey: string, windowEnd: number): Promise<number | undefined> {
    try {
      const result = await this.documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { key: itemKey },
          UpdateExpression: 'ADD hits :one SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
          ExpressionAttributeValues: {
            ':one': 1,
            ':expiresAt': Math.ceil(windowEnd / 1000) + EXPIRY_SLACK_SECONDS,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
        { abortSignal: AbortSignal.timeout(this.timeoutMs) },
      );
      return Number(result.Attributes?.hits ?? 1);
    } catch (error) {
      const now = this.now();
      if (now - this.lastOutageLog >= OUTAGE_LOG_INTERVAL_MS) {
        this.lastOutageLog = now;
        this.logger.warn(
          { err: error, table: this.table, timeoutMs: this.timeoutMs },
          'Rate-limit counter unavailable: requests pass unlimited until it answers',
        );
      }
      return undefined;
    }
  }

  private remember(itemKey: string, windowEnd: number, now: number): void {
    if (this.blockedUntil.size >= MAX_REMEMBERED_BLOCKS) {
      for (const [k, until] of this.blockedUntil) if (until <= now) this.blockedUntil.delete(k);
      if (this.blockedUntil.size >= MAX_REMEMBERED_BLOCKS) this.blockedUntil.clear();
    }
    this.blockedUntil.set(itemKey, windowEnd);
  }
}

function blocked(totalHits: number, secondsLeft: number): ThrottlerStorageRecord {
  return { totalHits, timeToExpire: secondsLeft, isBlocked: true, timeToBlockExpire: secondsLeft };
}
