import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestException } from '@nestjs/common';
import { UnknownProjectActionError } from './project.errors.js';
import { parseProjectPost } from './project-post.parser.js';

async function rejection(body: unknown): Promise<unknown> {
  try {
    await parseProjectPost(body);
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

describe('parseProjectPost', () => {
  it('reads the REST body, trimming the name', async () => {
    const parsed = await parseProjectPost({ name: '  Atlas ', description: 'd' });
    assert.equal(parsed.kind, 'create');
    assert.deepEqual(
      { name: parsed.body.name, description: parsed.body.description },
      { name: 'Atlas', description: 'd' },
    );
  });

  it('picks the original action bodies by `action`', async () => {
    const create = await parseProjectPost({ action: 'create', name: 'A', description: 'd' });
    assert.equal(create.kind, 'compat-create');
    const update = await parseProjectPost({ action: 'update', id: 12, name: 'B', description: '' });
    assert.ok(update.kind === 'compat-update');
    assert.equal(update.body.id, '12', 'numbers become text');
  });

  it('refuses unknown actions with a 400 problem, not a 500', async () => {
    for (const action of ['delete', 'Create', '', null, 3]) {
      const error = await rejection({ action, name: 'x' });
      assert.ok(error instanceof UnknownProjectActionError, String(action));
      assert.equal(error.status, 400);
    }
  });

  it('validates each shape with the global pipe rules', async () => {
    for (const body of [
      { name: '' },
      { name: 'x', extra: true },
      { action: 'create', name: 'x', id: 'not allowed here' },
      { action: 'update', name: 'x' },
      [],
      'text',
      null,
    ]) {
      const error = await rejection(body);
      assert.ok(error instanceof BadRequestException, JSON.stringify(body));
    }
  });
});
