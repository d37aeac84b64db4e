import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestException } from '@nestjs/common';
import { CreateJobBodyPipe } from './create-job-body.pipe.js';

const pipe = new CreateJobBodyPipe();

async function messages(body: unknown): Promise<string[]> {
  try {
    await pipe.transform(body);
  } catch (error) {
    assert.ok(error instanceof BadRequestException);
    return (error.getResponse() as { message: string[] }).message;
  }
  assert.fail('expected a 400');
}

describe('CreateJobBodyPipe', () => {
  it('passes the CodeCraft body through, payload untouched', async () => {
    const payload = { nested: { list: [1, { a: null }] }, constructor: 'fine' };
    assert.deepEqual(
      await pipe.transform({ type: 'db', payload, maxAttempts: 2, delaySeconds: 0 }),
      {
        type: 'db',
        payload,
        maxAttempts: 2,
        delaySeconds: 0,
      },
    );
  });

  it('turns the original body into type + payload', async () => {
    assert.deepEqual(await pipe.transform({ job_type: 's3', file: 'a.txt', type: 'kept' }), {
      type: 's3',
      payload: { file: 'a.txt', type: 'kept' },
    });
  });

  it('reports every problem like the ValidationPipe does', async () => {
    assert.deepEqual(await messages(null), ['the body must be a JSON object']);
    assert.deepEqual(await messages([]), ['the body must be a JSON object']);
    const errors = await messages({ type: '', payload: 'x', maxAttempts: 0, extra: true });
    assert.ok(errors.some((m) => m.includes('type')));
    assert.ok(errors.some((m) => m.includes('payload')));
    assert.ok(errors.some((m) => m.includes('maxAttempts')));
    assert.ok(errors.some((m) => m.includes('extra should not exist')));
    assert.equal((await messages({ job_type: 3 })).length, 1);
  });
});
