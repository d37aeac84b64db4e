import { Injectable } from '@nestjs/common';
import { ConflictError } from '../errors/domain.error.js';
import {
  IdempotencyKeyReusedError,
  IdempotencyKeyTakenError,
  InvalidIdempotencyKeyError,
} from './idempotency.errors.js';
import {
  IdempotencyKeysRepository,
  type IdempotencyRecord,
  type TransactItem,
} from './idempotency-keys.repository.js';
import { requestHash } from './request-hash.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export interface IdempotentCreation<T> {
  /** What the key creates, for messages and the problem extension (`job` → `jobId`). */
  readonly resource: string;
  /** Namespace of the key (`jobs`, `bank-operations`...): the same key may serve each once. */
  readonly scope: string;
  readonly ownerId: string;
  /** The Idempotency-Key header; undefined means no idempotency. */
  readonly key: string | undefined;
  /** The canonical request (what must be identical for a replay). */
  readonly request: unknown;
  /** Id the new resource will get (stored in the record). */
  readonly resourceId: string;
  readonly ttlSeconds: number;
  readonly now: number;
  /**
   * Writes the resource; with a key, in one transaction with `record` (the repository throws
   * IdempotencyKeyTakenError when that item's condition failed).
   */
  write(record: TransactItem | undefined): Promise<T>;
  /** Answers a replay from what the first request created. */
  replay(resourceId: string): Promise<T>;
}

export interface IdempotentResult<T> {
  readonly value: T;
  /** True when an Idempotency-Key matched an earlier identical request. */
  readonly replayed: boolean;
}

/**
 * Idempotency-Key handling for POST endpoints, shared by every domain: a repeated request with the
 * same body answers what the first one created; another body answers 409; two first requests
 * racing are settled by a conditional put in the resource's own transaction.
 */
@Injectable()
export class IdempotentRequests {
  constructor(private readonly keys: IdempotencyKeysRepository) {}

  static assertValidKey(key: string | undefined): void {
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) throw new InvalidIdempotencyKeyError();
  }

  async create<T>(creation: IdempotentCreation<T>): Promise<IdempotentResult<T>> {
    IdempotentRequests.assertValidKey(creation.key);
    if (creation.key === undefined)
      return { value: await creation.write(undefined), replayed: false };
    const key = IdempotencyKeysRepository.scopedKey(creation.scope, creation.ownerId, creation.key);
    const hash = requestHash(creation.request);
    const nowSeconds = Math.floor(creation.now / 1000);
    const record: IdempotencyRecord = {
      key,
      requestHash: hash,
      resourceId: creation.resourceId,
      createdAt: new Date(creation.now).toISOString(),
      expiresAt: nowSeconds + creation.ttlSeconds,
    };
    const replay = async (existing: IdempotencyRecord): Promise<IdempotentResult<T>> => {
      if (existing.requestHash !== hash)
        throw new IdempotencyKeyReusedError(creation.resource, existing.resourceId);
      return { value: await creation.replay(existing.resourceId), replayed: true };
    };
    // Replays are answered from the record; the transaction only settles a race between two first
    // requests (and is never the common path: a cancelled transaction is costly).
    const existing = await this.keys.get(key, nowSeconds);
    if (existing) return replay(existing);
    try {
      return {
        value: await creation.write(this.keys.conditionalPut(record, nowSeconds)),
        replayed: false,
      };
    } catch (error) {
      if (!(error instanceof IdempotencyKeyTakenError)) throw error;
      const winner = await this.keys.get(key, nowSeconds);
      if (!winner)
        throw new ConflictError('This Idempotency-Key is being reused concurrently; try again');
      return replay(winner);
    }
  }
}
