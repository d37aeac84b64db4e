import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageIdForKey, keyFileName, originalKey, resizedKey, variantKey } from './image-keys.js';

describe('image keys', () => {
  it('puts originals under images/originals/{id}/ with one safe name segment', () => {
    const key = originalKey('0b7c6a3e-4d39-4f51-9d5f-2f4b8a1c9e10', '../../etc/My Photo.JPG');
    assert.equal(key, 'images/originals/0b7c6a3e-4d39-4f51-9d5f-2f4b8a1c9e10/etc_My_Photo.jpg');
    assert.throws(() => originalKey('../x', 'a.png'));
  });

  it('keeps the original system thumbnail key and variants outside the originals prefix', () => {
    assert.equal(resizedKey('images/originals/i/a.png'), 'resized-images/originals/i/a.png');
    assert.equal(variantKey('i', 'thumb', 'webp'), 'images/variants/i/thumb.webp');
    assert.equal(imageIdForKey(resizedKey('images/originals/i/a.png')), undefined);
    assert.equal(imageIdForKey(variantKey('i', 'thumb', 'webp')), undefined);
  });

  it('finds the image id of API keys and derives a stable one for any other original', () => {
    const id = '0b7c6a3e-4d39-4f51-9d5f-2f4b8a1c9e10';
    assert.equal(imageIdForKey(`images/originals/${id}/photo.jpg`), id);
    const a = imageIdForKey('images/originals/bench/a.jpg');
    assert.notEqual(a, imageIdForKey('images/originals/bench/b.jpg'), 'no shared id');
    const other = imageIdForKey('images/originals/holiday/2024/beach.png');
    assert.match(other ?? '', /^s3-[0-9a-f]{32}$/);
    assert.equal(imageIdForKey('images/originals/holiday/2024/beach.png'), other);
    assert.notEqual(imageIdForKey('images/originals/loose.png'), other);
    assert.equal(imageIdForKey('images/originals/'), undefined);
    assert.equal(keyFileName('images/originals/x/beach.png'), 'beach.png');
  });
});
