import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbThrottlerStorage } from './dynamodb-throttler.storage.js';

type Send = (command: UpdateCommand, options: { abortSignal: AbortSignal }) => Promise<unknown>;

/** A table of counters in memory, answering UpdateCommand as DynamoDB's ADD does. */
function fakeTable() {
  const hits = new Map<string, number>();
  const calls: UpdateCommand[] = [];
  const send: Send = (command) => {
    calls.push(command);
    const key = String(command.input.Key?.key);
    hits.set(key, (hits.get(key) ?? 0) + 1);
    return Promise.resolve({ Attributes: { hits: hits.get(key) } });
  };
  return { send, calls, hits };
}

const storageOver = (send: Send, now: () => number, timeoutMs = 100) =>
  new DynamoDbThrottlerStorage(
    { send } as unknown as DynamoDBDocumentClient,
    'cc-rate-limits',
    timeoutMs,
    now,
  );

describe('DynamoDbThrottlerStorage', () => {
  it('counts per fixed window and blocks past the limit until the window ends', async () => {
    let now = 60_000 * 1000 + 15_500; // 15.5 s into a 60 s window
    const table = fakeTable();
    const storage = storageOver(table.send, () => now);
    for (let i = 1; i <= 3; i++) {
      const record = await storage.increment('k', 60_000, 3);
      assert.deepEqual(record, {
        totalHits: i,
        timeToExpire: 45,
        isBlocked: false,
        timeToBlockExpire: 0,
      });
    }
    const over = await storage.increment('k', 60_000, 3);
    assert.equal(over.isBlocked, true);
    assert.equal(over.timeToBlockExpire, 45);
    const first = table.calls[0]?.input;
    assert.ok(first);
    assert.equal(first.TableName, 'cc-rate-limits');
    assert.deepEqual(first.Key, { key: `k#${60_000 * 1000}` });
    // The TTL attribute outlives the window end (epoch seconds).
    assert.equal(first.ExpressionAttributeValues?.[':expiresAt'], 60_060 + 60);

    now += 45_000; // the next window
    const fresh = await storage.increment('k', 60_000, 3);
    assert.equal(fresh.isBlocked, false);
    assert.equal(fresh.totalHits, 1);
  });

  it('answers a blocked caller from memory, without writing again, until its window ends', async () => {
    let now = 1_000_000;
    const table = fakeTable();
    const storage = storageOver(table.send, () => now);
    await storage.increment('k', 10_000, 1);
    await storage.increment('k', 10_000, 1); // blocked: remembered
    const writes = table.calls.length;
    for (let i = 0; i < 50; i++) {
      assert.equal((await storage.increment('k', 10_000, 1)).isBlocked, true);
    }
    assert.equal(table.calls.length, writes);
    now += 10_000;
    assert.equal((await storage.increment('k', 10_000, 1)).isBlocked, false);
    assert.equal(table.calls.length, writes + 1);
  });

  it('lets requests through when the table errs (fail open)', async () => {
    const storage = storageOver(
      () => Promise.reject(new Error('ResourceNotFoundException')),
      Date.now,
    );
    const record = await storage.increment('k', 60_000, 1);
    assert.equal(record.isBlocked, false);
    assert.equal(record.totalHits, 0);
  });

  it('lets requests through once the table has not answered within the timeout', async () => {
    // A DynamoDB that never answers: only the abort signal ends the call, as in the SDK.
    const hanging: Send = (_command, { abortSignal }) =>
      new Promise((_resolve, reject) => {
        abortSignal.addEventListener('abort', () => {
          reject(abortSignal.reason as Error);
        });
      });
    const storage = storageOver(hanging, Date.now, 80);
    const started = performance.now();
    const record = await storage.increment('k', 60_000, 1);
    const elapsed = performance.now() - started;
    assert.equal(record.isBlocked, false);
    assert.ok(elapsed >= 70 && elapsed < 1000, `answered after ${elapsed.toFixed(0)} ms`);
  });
});
