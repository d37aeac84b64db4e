import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCursor, encodeCursor } from './cursor.js';

const expected = {
  attributes: ['id', 'ownerId', 'createdAt'],
  partition: ['ownerId', 'u1'] as [string, string],
};

describe('page cursors', () => {
  it('round-trips a LastEvaluatedKey as opaque base64url', () => {
    const key = { id: 'j1', ownerId: 'u1', createdAt: '2026-11-22T10:00:00.000Z' };
    const cursor = encodeCursor(key);
    assert.match(cursor, /^[\w-]+$/);
    assert.deepEqual(decodeCursor(cursor, expected), key);
  });

  it('refuses garbage, foreign shapes and other owners', () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    assert.equal(decodeCursor('%%%', expected), undefined);
    assert.equal(decodeCursor(Buffer.from('not json').toString('base64url'), expected), undefined);
    assert.equal(decodeCursor(encode([1]), expected), undefined);
    assert.equal(decodeCursor(encode({ id: 'j1', ownerId: 'u1' }), expected), undefined);
    assert.equal(
      decodeCursor(encode({ id: 'j1', ownerId: 'u1', createdAt: 5 }), expected),
      undefined,
    );
    assert.equal(
      decodeCursor(encode({ id: 'j1', ownerType: 'u1#db', createdAt: 'x' }), expected),
      undefined,
    );
    assert.equal(
      decodeCursor(encode({ id: 'j1', ownerId: 'someone-else', createdAt: 'x' }), expected),
      undefined,
    );
  });
});
