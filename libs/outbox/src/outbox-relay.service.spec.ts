import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Logger } from '@nestjs/common';
import type { MessagePublisher, PublishOptions } from '#libs/platform';
import type { OutboxMessageEntity } from './outbox-message.entity.js';
import { OutboxRelay, retryDelayMs } from './outbox-relay.service.js';
import type { OutboxRepository } from './outbox.repository.js';

function row(id: string, key: string | null, overrides: Partial<OutboxMessageEntity> = {}) {
  return {
    id,
    destination: 'project-events',
    type: 'project.updated',
    payload: JSON.stringify({ id }),
    correlationId: `corr-${id}`,
    orderingKey: key,
    attempts: 0,
    lastError: null,
    createdAt: `2026-01-01T00:00:0${id}.000Z`,
    claimedUntil: null,
    sentAt: null,
    ...overrides,
  } satisfies OutboxMessageEntity;
}

/** An in-memory outbox with the same claim rule as the SQL one. */
class FakeOutbox {
  failed = new Map<string, string>();
  constructor(public rows: OutboxMessageEntity[]) {}
  findUnsent(limit: number) {
    return Promise.resolve(this.rows.filter((r) => r.sentAt === null).slice(0, limit));
  }
  claim(id: string, now: string, lease: string) {
    const r = this.rows.find((x) => x.id === id);
    if (r?.sentAt !== null || (r.claimedUntil !== null && r.claimedUntil > now)) {
      return Promise.resolve(false);
    }
    r.claimedUntil = lease;
    r.attempts++;
    return Promise.resolve(true);
  }
  markSent(id: string, at: string) {
    const r = this.rows.find((x) => x.id === id);
    if (r) Object.assign(r, { sentAt: at, claimedUntil: null, lastError: null });
    return Promise.resolve();
  }
  markFailed(id: string, error: string, retryAt: string) {
    const r = this.rows.find((x) => x.id === id);
    if (r) Object.assign(r, { lastError: error, claimedUntil: retryAt });
    this.failed.set(id, error);
    return Promise.resolve();
  }
}

class FakePublisher {
  sent: { queue: string; body: unknown; options: PublishOptions }[] = [];
  failFor = new Set<string>();
  publish(queue: string, body: unknown, options: PublishOptions = {}) {
    const id = options.attributes?.eventId ?? '';
    if (this.failFor.has(id)) return Promise.reject(new Error(`SQS down for ${id}`));
    this.sent.push({ queue, body, options });
    return Promise.resolve(`m-${id}`);
  }
}

function relayOf(outbox: FakeOutbox, publisher: FakePublisher) {
  return new OutboxRelay(
    outbox as unknown as OutboxRepository,
    publisher as unknown as MessagePublisher,
  );
}

describe('OutboxRelay', () => {
  before(() => {
    Logger.overrideLogger(false);
  });

  it('publishes unsent rows with eventId/eventType attributes and the stored correlation id', async () => {
    const outbox = new FakeOutbox([row('1', 'p:a'), row('2', null)]);
    const publisher = new FakePublisher();
    const report = await relayOf(outbox, publisher).relayPending();
    assert.deepEqual(report, { sent: 2, failed: 0, held: 0 });
    assert.deepEqual(publisher.sent[0], {
      queue: 'project-events',
      body: { id: '1' },
      options: {
        attributes: { eventId: '1', eventType: 'project.updated' },
        correlationId: 'corr-1',
      },
    });
    assert.ok(outbox.rows.every((r) => r.sentAt !== null && r.attempts === 1));
  });

  it('keeps a failed row with its error and a retry time, and holds later rows of its key', async () => {
    const outbox = new FakeOutbox([row('1', 'p:a'), row('2', 'p:a'), row('3', 'p:b')]);
    const publisher = new FakePublisher();
    publisher.failFor.add('1');
    const before = Date.now();
    const report = await relayOf(outbox, publisher).relayPending();
    assert.deepEqual(report, { sent: 1, failed: 1, held: 1 });
    assert.deepEqual(
      publisher.sent.map((s) => s.options.attributes?.eventId),
      ['3'],
      'p:a waits: its second event must not overtake the first',
    );
    const failed = outbox.rows[0];
    assert.equal(failed?.sentAt, null);
    assert.equal(failed.attempts, 1);
    assert.match(failed.lastError ?? '', /SQS down for 1/);
    assert.ok(Date.parse(failed.claimedUntil ?? '') >= before + 1000, 'retry after backoff');
    assert.equal(outbox.rows[1]?.attempts, 0);

    publisher.failFor.clear();
    assert.equal((await relayOf(outbox, publisher).relayPending()).sent, 0, 'not due yet');
    failed.claimedUntil = new Date(Date.now() - 1).toISOString();
    assert.deepEqual(await relayOf(outbox, publisher).relayPending(), {
      sent: 2,
      failed: 0,
      held: 0,
    });
    assert.deepEqual(
      publisher.sent.map((s) => s.options.attributes?.eventId),
      ['3', '1', '2'],
    );
  });

  it('skips rows another relay has claimed', async () => {
    const future = new Date(Date.now() + 60_000).toISOString();
    const outbox = new FakeOutbox([row('1', 'p:a', { claimedUntil: future }), row('2', 'p:a')]);
    const report = await relayOf(outbox, new FakePublisher()).relayPending();
    assert.deepEqual(report, { sent: 0, failed: 0, held: 2 });
  });

  it('stops the run after consecutive failures (the queue service is down)', async () => {
    const outbox = new FakeOutbox(['1', '2', '3', '4', '5'].map((id) => row(id, null)));
    const publisher = new FakePublisher();
    for (const id of ['1', '2', '3', '4', '5']) publisher.failFor.add(id);
    const report = await relayOf(outbox, publisher).relayPending();
    assert.equal(report.failed, 3);
    assert.equal(outbox.rows[4]?.attempts, 0, 'the rest were not even tried');
  });

  it('backs off 1 s, 2 s, 4 s ... up to 5 minutes', () => {
    assert.deepEqual(
      [1, 2, 3, 10, 30].map((n) => retryDelayMs(n)),
      [1000, 2000, 4000, 300_000, 300_000],
    );
  });
});
