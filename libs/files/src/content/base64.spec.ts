import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base64DecodedLength, decodeBase64Strict } from './base64.js';

describe('decodeBase64Strict', () => {
  it('decodes standard base64, padded or not, with line breaks', () => {
    assert.equal(decodeBase64Strict('aGVsbG8=')?.toString(), 'hello');
    assert.equal(decodeBase64Strict('aGVsbG8')?.toString(), 'hello');
    assert.equal(decodeBase64Strict('aGVs\r\nbG8=')?.toString(), 'hello');
    assert.equal(decodeBase64Strict('')?.length, 0);
  });

  it('refuses what a lenient decoder would silently mangle', () => {
    for (const bad of ['not base64!', 'aGVsbG8=x', 'a', 'aGVsbG8===', '-_-_', 'QR==', 'aGVsbG8*']) {
      assert.equal(decodeBase64Strict(bad), undefined, bad);
    }
  });

  it('predicts the decoded size without decoding', () => {
    for (const size of [0, 1, 2, 3, 4, 100, 1001]) {
      const text = Buffer.alloc(size, 7).toString('base64');
      assert.equal(base64DecodedLength(text), size);
    }
  });
});
