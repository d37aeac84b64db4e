import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { etagOf, ifMatchAllows, ifNoneMatchHits, parseIfMatch } from './etag.js';

describe('ETags and If-Match', () => {
  it('uses the version as a strong ETag', () => {
    assert.equal(etagOf(3), '"3"');
  });

  it('parses *, one tag, lists and weak tags; ignores junk', () => {
    assert.equal(parseIfMatch(undefined), undefined);
    assert.equal(parseIfMatch('  '), undefined);
    assert.equal(parseIfMatch('*'), '*');
    assert.deepEqual(parseIfMatch('"3"'), [3]);
    assert.deepEqual(parseIfMatch('"2", W/"5" ,"x", 7'), [2, 5]);
    assert.deepEqual(parseIfMatch('banana'), [], 'present but unparsable: matches nothing');
  });

  it('allows a change only when the current version is listed', () => {
    assert.ok(ifMatchAllows(undefined, 4), 'no precondition');
    assert.ok(ifMatchAllows('*', 4));
    assert.ok(ifMatchAllows([3, 4], 4));
    assert.ok(!ifMatchAllows([3], 4));
    assert.ok(!ifMatchAllows([], 4));
  });

  it('answers If-None-Match for GET', () => {
    assert.ok(ifNoneMatchHits('"4"', 4));
    assert.ok(ifNoneMatchHits('*', 4));
    assert.ok(!ifNoneMatchHits('"3"', 4));
    assert.ok(!ifNoneMatchHits(undefined, 4));
  });
});
