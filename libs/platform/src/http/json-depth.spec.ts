import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.js';

function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

describe('JSON depth limit', () => {
  it('accepts bodies up to the limit, scalars and empty containers', () => {
    assert.equal(nestsDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH), false);
    assert.equal(nestsDeeperThan('x', 1), false);
    assert.equal(nestsDeeperThan(undefined, 1), false);
    assert.equal(nestsDeeperThan({}, 1), false);
  });

  it('refuses one level more, and 100,000 levels without overflowing the stack', () => {
    assert.equal(nestsDeeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH), true);
    assert.equal(nestsDeeperThan(nested(100_000), MAX_JSON_DEPTH), true);
  });
});
