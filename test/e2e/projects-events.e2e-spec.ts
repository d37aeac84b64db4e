import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource, type EntitySubscriberInterface, type InsertEvent } from 'typeorm';
import { OutboxMessageEntity, OutboxRelay, OutboxRepository } from '#libs/outbox';
import { PROJECT_EVENT_TYPES } from '#libs/projects';
import { createHandler } from '../../apps/worker/src/lambda.js';
import { lambdaContext } from './support/fixtures.js';
import { eventually, startApi, testConfig, type RunningApi } from './support/harness.js';
import {
  call,
  lambdaWorker,
  newUser,
  drainQueue,
  receiveProjectEvents,
  switchableProxy,
  type ReceivedEvent,
  type TestUser,
} from './support/projects.js';

interface ProjectBody {
  id: string;
  name: string;
  version: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The documented shape of a project event (README "Projects"). */
function assertEventShape(received: ReceivedEvent, owner: TestUser): void {
  const { event, attributes } = received;
  assert.deepEqual(Object.keys(event).sort(), [
    'actor',
    'correlationId',
    'eventId',
    'occurredAt',
    'project',
    'schemaVersion',
    'type',
  ]);
  assert.match(event.eventId, UUID);
  assert.ok(PROJECT_EVENT_TYPES.includes(event.type));
  assert.equal(event.schemaVersion, 1);
  assert.ok(!Number.isNaN(Date.parse(event.occurredAt)));
  assert.equal(typeof event.correlationId, 'string');
  assert.deepEqual(Object.keys(event.actor).sort(), ['admin', 'sub', 'username']);
  assert.deepEqual(Object.keys(event.project).sort(), [
    'createdAt',
    'deletedAt',
    'description',
    'id',
    'name',
    'owner',
    'updatedAt',
    'version',
  ]);
  assert.equal(event.project.owner, owner.sub);
  assert.equal(attributes.eventId, event.eventId, 'eventId message attribute');
  assert.equal(attributes.eventType, event.type, 'eventType message attribute');
  assert.equal(attributes.correlationId, event.correlationId, 'correlationId message attribute');
}

const handRelayed = { OUTBOX_RELAY_ON_COMMIT: 'false' };

describe('Project events through the transactional outbox', () => {
  let api: RunningApi;
  let worker: INestApplicationContext;
  let owner: TestUser;
  const cleanups: (() => Promise<void>)[] = [];

  before(async () => {
    // This file drives the relay by hand: the API leaves every event to it.
    api = await startApi(testConfig(handRelayed));
    worker = await lambdaWorker();
    owner = await newUser('events');
    // Earlier suites leave unsent rows: relay them now and start from an empty queue.
    await worker.get(OutboxRelay).relayPending();
    await drainQueue();
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await worker.close();
    await api.close();
  });

  const relay = () => worker.get(OutboxRelay).relayPending();

  it('sends exactly one message per change, in order, with the documented shape', async () => {
    const correlationId = `corr-${randomUUID()}`;
    const created = await call(api.url, owner, 'POST', '/projects', {
      body: { name: `Evented ${randomUUID()}`, description: 'v1' },
      headers: { 'x-correlation-id': correlationId },
    });
    assert.equal(created.status, 201);
    const project = created.body as unknown as ProjectBody;
    const path = `/projects/${project.id}`;
    const patched = await call(api.url, owner, 'PATCH', path, {
      body: { description: 'v2' },
      headers: { 'if-match': '"1"' },
    });
    assert.equal(patched.status, 200);
    const compat = await call(api.url, owner, 'POST', '/projects', {
      body: { action: 'update', id: project.id, name: project.name, description: 'v3' },
    });
    assert.equal(compat.status, 200);
    const unchanged = await call(api.url, owner, 'PATCH', path, {
      body: { description: 'v3' },
      headers: { 'if-match': '"3"' },
    });
    assert.equal(unchanged.status, 200, 'a PATCH that changes nothing is a no-op...');
    assert.equal((await call(api.url, owner, 'DELETE', path)).status, 204);

    const first = await relay();
    assert.ok(first.sent >= 4, JSON.stringify(first));
    const again = await relay();
    assert.equal(again.sent, 0, 'a second run finds nothing left to send');

    const events = await receiveProjectEvents([project.id], 4);
    assert.equal(events.length, 4, '...and emits no event');
    for (const received of events) assertEventShape(received, owner);
    const byVersion = [...events].sort((a, b) => a.event.project.version - b.event.project.version);
    assert.deepEqual(
      byVersion.map((e) => [e.event.type, e.event.project.version, e.event.project.description]),
      [
        ['project.created', 1, 'v1'],
        ['project.updated', 2, 'v2'],
        ['project.updated', 3, 'v3'],
        ['project.deleted', 4, 'v3'],
      ],
    );
    assert.equal(byVersion[0]?.event.correlationId, correlationId, 'the request id travels');
    assert.equal(byVersion[0].event.actor.sub, owner.sub);
    assert.equal(byVersion[0].event.actor.admin, false);
    assert.equal(byVersion[3]?.event.project.deletedAt, byVersion[3]?.event.occurredAt);
    assert.equal(new Set(events.map((e) => e.event.eventId)).size, 4, 'distinct event ids');

    const rows = worker.get(OutboxRepository);
    for (const { event } of events) {
      const row = await rows.findById(event.eventId);
      assert.ok(row?.sentAt, 'the outbox row is marked sent');
      assert.equal(row.attempts, 1);
      assert.equal(row.destination, 'project-events');
      assert.equal(row.orderingKey, `project:${project.id}`);
    }
  });

  it('emits nothing for a change that fails or is refused', async () => {
    const name = `Refused ${randomUUID()}`;
    const created = await call(api.url, owner, 'POST', '/projects', { body: { name } });
    const project = created.body as unknown as ProjectBody;
    const stranger = await newUser('stranger');
    const refused = [
      await call(api.url, owner, 'POST', '/projects', { body: { name } }), // 409
      await call(api.url, owner, 'PATCH', `/projects/${project.id}`, {
        body: { description: 'stale' },
        headers: { 'if-match': '"7"' },
      }), // 412
      await call(api.url, owner, 'PATCH', `/projects/${project.id}`, {
        body: { description: 'no precondition' },
      }), // 428
      await call(api.url, stranger, 'DELETE', `/projects/${project.id}`), // 404
      await call(api.url, owner, 'POST', '/projects', { body: { action: 'archive', id: 'x' } }),
    ];
    assert.deepEqual(
      refused.map((r) => r.status),
      [409, 412, 428, 404, 400],
    );
    await relay();
    const events = await receiveProjectEvents([project.id], 1);
    assert.deepEqual(
      events.map((e) => e.event.type),
      ['project.created'],
      'only the successful create produced an event',
    );
  });

  it('rolls the event back with a transaction that fails after writing it', async () => {
    const marker = `rollback-${randomUUID()}`;
    // A real failure inside the real transaction, after both the project and its outbox row
    // were written: a subscriber that throws once the outbox INSERT has run.
    const failing: EntitySubscriberInterface<OutboxMessageEntity> = {
      listenTo: () => OutboxMessageEntity,
      afterInsert: (event: InsertEvent<OutboxMessageEntity>) => {
        if (event.entity.payload.includes(marker)) {
          throw new Error('injected failure after the outbox write');
        }
      },
    };
    const dataSource = api.app.get(DataSource);
    dataSource.subscribers.push(failing);
    cleanups.push(() => {
      dataSource.subscribers.splice(dataSource.subscribers.indexOf(failing), 1);
      return Promise.resolve();
    });
    const response = await call(api.url, owner, 'POST', '/projects', { body: { name: marker } });
    assert.equal(response.status, 500, response.text);

    const list = await call(api.url, owner, 'GET', `/projects?search=${marker}`);
    assert.equal(list.body.total, 0, 'the project was rolled back');
    const rows: { n: number | string }[] = await dataSource.query(
      'SELECT COUNT(*) AS n FROM outbox WHERE payload LIKE ?',
      [`%${marker}%`],
    );
    assert.equal(Number(rows[0]?.n), 0, 'and so was its outbox row');
    const report = await relay();
    assert.equal(report.failed, 0);
    const retry = await call(api.url, owner, 'POST', '/projects', {
      body: { name: `Committed ${randomUUID()}` },
    });
    assert.equal(retry.status, 201, 'other changes still commit');
  });

  it('keeps events while SQS is unreachable and delivers them once it is back', async () => {
    const endpoint = new URL(testConfig().aws.endpoint ?? '');
    const proxy = await switchableProxy(endpoint);
    cleanups.push(() => proxy.close());
    const viaProxy = { AWS_ENDPOINT_URL: proxy.url };
    const outageApi = await startApi(testConfig({ ...viaProxy, ...handRelayed }));
    cleanups.push(() => outageApi.close());
    const outageWorker = await lambdaWorker(viaProxy);
    cleanups.push(() => outageWorker.close());
    // One call while AWS is reachable, so the API has its Cognito signing keys.
    assert.equal((await call(outageApi.url, owner, 'GET', '/projects')).status, 200);

    proxy.down();
    const created = await call(outageApi.url, owner, 'POST', '/projects', {
      body: { name: `Outage ${randomUUID()}` },
    });
    assert.equal(created.status, 201, 'the change commits while SQS is down');
    const project = created.body as unknown as ProjectBody;
    const patched = await call(outageApi.url, owner, 'PATCH', `/projects/${project.id}`, {
      body: { description: 'still down' },
      headers: { 'if-match': '"1"' },
    });
    assert.equal(patched.status, 200);

    const failed = await outageWorker.get(OutboxRelay).relayPending();
    assert.equal(failed.sent, 0);
    assert.ok(failed.failed >= 1, JSON.stringify(failed));
    const dataSource = outageWorker.get(DataSource);
    const pending = await dataSource
      .getRepository(OutboxMessageEntity)
      .find({ where: { orderingKey: `project:${project.id}` }, order: { createdAt: 'ASC' } });
    assert.equal(pending.length, 2);
    assert.equal(pending[0]?.sentAt, null, 'not sent, not lost');
    assert.ok(pending[0].attempts >= 1, 'the attempt is counted');
    assert.ok(pending[0].lastError, 'with the error');
    assert.equal(pending[1]?.attempts, 0, 'the later event waits behind the first (ordering)');
    assert.deepEqual(
      await receiveProjectEvents([project.id], 0, { settleMs: 500, timeoutMs: 1000 }),
      [],
      'nothing reached the queue',
    );

    proxy.up();
    await eventually(
      async () => {
        const report = await outageWorker.get(OutboxRelay).relayPending();
        return report.sent >= 2 ? report : undefined;
      },
      20_000,
      'relay after SQS is back',
    );
    const events = await receiveProjectEvents([project.id], 2);
    assert.deepEqual(
      events.map((e) => e.event.type),
      ['project.created', 'project.updated'],
      'both delivered, once each, in order',
    );
    const sent = await dataSource
      .getRepository(OutboxMessageEntity)
      .find({ where: { orderingKey: `project:${project.id}` } });
    assert.ok(sent.every((row) => row.sentAt !== null && row.lastError === null));
  });

  it('lets two relays run at once without sending anything twice', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const created = await call(api.url, owner, 'POST', '/projects', {
        body: { name: `Concurrent ${i} ${randomUUID()}` },
      });
      ids.push((created.body as unknown as ProjectBody).id);
    }
    const second = await lambdaWorker();
    cleanups.push(() => second.close());
    const reports = await Promise.all([
      worker.get(OutboxRelay).relayPending(),
      second.get(OutboxRelay).relayPending(),
      worker.get(OutboxRelay).relayPending(),
      second.get(OutboxRelay).relayPending(),
    ]);
    assert.equal(
      reports.reduce((sum, r) => sum + r.sent, 0),
      12,
      JSON.stringify(reports),
    );
    const events = await receiveProjectEvents(ids, 12);
    assert.equal(events.length, 12);
    assert.deepEqual(new Set(events.map((e) => e.event.project.id)), new Set(ids));
  });

  it('runs the relay by name from the worker Lambda (scheduled rule input)', async () => {
    const created = await call(api.url, owner, 'POST', '/projects', {
      body: { name: `Lambda relay ${randomUUID()}` },
    });
    const project = created.body as unknown as ProjectBody;
    const handler = createHandler();
    cleanups.push(() => handler.close());
    await handler({ task: 'outbox-relay' }, lambdaContext('codecraft-worker'));
    const events = await receiveProjectEvents([project.id], 1);
    assert.deepEqual(
      events.map((e: ReceivedEvent) => e.event.type),
      ['project.created'],
    );
  });
});
