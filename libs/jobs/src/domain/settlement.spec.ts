import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Job } from './job.js';
import { settleUnclaimed } from './settlement.js';

const now = Date.parse('2026-11-22T10:00:00.000Z');
const at = (offsetSeconds: number) => new Date(now + offsetSeconds * 1000).toISOString();

function job(overrides: Partial<Job>): Job {
  return {
    id: 'j1',
    type: 'db',
    ownerId: 'u1',
    status: 'QUEUED',
    payload: '{}',
    attempts: 0,
    maxAttempts: 3,
    createdAt: at(-60),
    updatedAt: at(-60),
    runAt: at(-60),
    ...overrides,
  };
}

describe('settleUnclaimed', () => {
  it('acknowledges finished, cancelled and missing jobs without running them', () => {
    assert.equal(settleUnclaimed(undefined, now).kind, 'ack');
    assert.equal(settleUnclaimed(job({ status: 'SUCCEEDED' }), now).kind, 'ack');
    assert.equal(settleUnclaimed(job({ status: 'CANCELLED' }), now).kind, 'ack');
  });

  it('dead-letters a FAILED job once', () => {
    assert.deepEqual(settleUnclaimed(job({ status: 'FAILED' }), now), { kind: 'dead-letter' });
    assert.equal(
      settleUnclaimed(job({ status: 'FAILED', deadLetteredAt: at(-1) }), now).kind,
      'ack',
    );
  });

  it('leaves a job running under a live lease to its owner', () => {
    const running = job({ status: 'RUNNING', attempts: 1, leaseUntil: at(30) });
    assert.equal(settleUnclaimed(running, now).kind, 'ack');
  });

  it('fails a job whose last attempt never reported back', () => {
    const dead = job({ status: 'RUNNING', attempts: 3, leaseUntil: at(-5) });
    assert.deepEqual(settleUnclaimed(dead, now), { kind: 'exhaust' });
    assert.deepEqual(settleUnclaimed(job({ attempts: 3 }), now), { kind: 'exhaust' });
  });

  it('retries later when the claim lost a race it should have won', () => {
    assert.equal(
      settleUnclaimed(job({ status: 'RUNNING', attempts: 1, leaseUntil: at(-5) }), now).kind,
      'retry',
    );
    assert.equal(settleUnclaimed(job({}), now).kind, 'retry');
  });

  it('defers an early delivery by the remaining delay, or leaves a far one to the sweeper', () => {
    assert.deepEqual(settleUnclaimed(job({ runAt: at(42.3) }), now), {
      kind: 'defer',
      delaySeconds: 43,
    });
    assert.equal(settleUnclaimed(job({ runAt: at(3600) }), now).kind, 'ack');
  });
});
