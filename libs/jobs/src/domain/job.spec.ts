import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  deliveryDelaySeconds,
  describeError,
  initialSweepAt,
  JOBS_MAX_ATTEMPTS_LIMIT,
  parseJobMessage,
  sendsAtCreation,
  toJobMessage,
} from './job.js';
import { jobsResources } from '../jobs.resources.js';

const now = Date.parse('2026-11-22T10:00:00.000Z');

describe('job timing', () => {
  it('sends delays up to 15 minutes at once and sweeps after the threshold', () => {
    assert.equal(sendsAtCreation(900), true);
    assert.equal(initialSweepAt(now + 900_000, now, 120), new Date(now + 1_020_000).toISOString());
  });

  it('holds longer delays until 15 minutes before they are due', () => {
    assert.equal(sendsAtCreation(901), false);
    assert.equal(
      initialSweepAt(now + 3_600_000, now, 120),
      new Date(now + 2_700_000).toISOString(),
    );
  });

  it('clamps the delivery delay to what SQS accepts', () => {
    assert.equal(deliveryDelaySeconds(new Date(now - 5000).toISOString(), now), 0);
    assert.equal(deliveryDelaySeconds(new Date(now + 1500).toISOString(), now), 2);
    assert.equal(deliveryDelaySeconds(new Date(now + 5_000_000).toISOString(), now), 900);
  });
});

describe('job messages', () => {
  it('carry only the id, type and owner', () => {
    const message = toJobMessage({ id: 'j', type: 'db', ownerId: 'u' });
    assert.deepEqual(parseJobMessage(JSON.stringify(message)), {
      jobId: 'j',
      type: 'db',
      ownerId: 'u',
    });
    assert.equal(parseJobMessage('nope'), undefined);
    assert.equal(parseJobMessage('{"jobId":1,"type":"db","ownerId":"u"}'), undefined);
    assert.equal(parseJobMessage('null'), undefined);
  });

  it('every allowed attempt fits within the queue redrive policy', () => {
    const queue = jobsResources.queues.find((q) => q.name === 'jobs');
    assert.ok(queue);
    assert.ok(queue.maxReceiveCount >= JOBS_MAX_ATTEMPTS_LIMIT);
  });
});

describe('describeError', () => {
  it('keeps name and message, bounded', () => {
    assert.equal(describeError(new TypeError('bad')), 'TypeError: bad');
    assert.equal(describeError('text'), 'Non-error thrown: text');
    assert.equal(describeError(new Error('x'.repeat(5000))).length, 1000);
  });
});
