import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withCorrelationId, type Principal } from '#libs/platform';
import { parseProjectEvent, projectEvent } from './project-events.js';
import type { Project } from './project.js';

const project: Project = {
  id: 'p-1',
  owner: 'owner-sub',
  name: 'Atlas',
  description: 'maps',
  version: 2,
  createdAt: new Date('2026-01-01T00:00:00.000Z'),
  updatedAt: new Date('2026-01-02T00:00:00.000Z'),
  deletedAt: null,
};
const admin: Principal = {
  sub: 'admin-sub',
  username: 'root',
  email: undefined,
  groups: ['admin'],
};

describe('project events', () => {
  it('builds a versioned event with snapshot, actor and correlation id', () => {
    const event = withCorrelationId('corr-1', () =>
      projectEvent('project.updated', project, admin),
    );
    assert.match(event.eventId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(
      { ...event, eventId: 'x' },
      {
        eventId: 'x',
        type: 'project.updated',
        schemaVersion: 1,
        occurredAt: '2026-01-02T00:00:00.000Z',
        correlationId: 'corr-1',
        actor: { sub: 'admin-sub', username: 'root', admin: true },
        project: {
          id: 'p-1',
          name: 'Atlas',
          description: 'maps',
          owner: 'owner-sub',
          version: 2,
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-02T00:00:00.000Z',
          deletedAt: null,
        },
      },
    );
  });

  it('parses what it builds and refuses anything else', () => {
    const event = projectEvent('project.created', project, admin);
    assert.deepEqual(parseProjectEvent(JSON.stringify(event)), event);
    for (const body of [
      'not json',
      '[]',
      JSON.stringify({ ...event, schemaVersion: 2 }),
      JSON.stringify({ ...event, type: 'project.archived' }),
      JSON.stringify({ ...event, project: { ...event.project, owner: 7 } }),
      JSON.stringify({ ...event, actor: null }),
    ]) {
      assert.throws(
        () => parseProjectEvent(body),
        /InvalidProjectEventError|schemaVersion|missing|not/,
      );
    }
  });
});
