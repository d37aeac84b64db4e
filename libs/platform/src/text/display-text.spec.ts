import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldDisplayText } from './display-text.js';

describe('foldDisplayText', () => {
  it('makes look-alike names equal', () => {
    const plain = 'Café Project';
    for (const variant of [
      'Café Pro\u200Bject',
      'Café\u3000Project',
      'Cafe\u0301 Project',
      'Café\u00A0Project',
      '\u202ECafé Project\u202C',
      'Café\u2003\u2009Project ',
      '\uFEFFCafé Project',
    ])
      assert.equal(foldDisplayText(variant), plain, JSON.stringify(variant));
  });

  it('leaves control characters for validation to refuse', () => {
    assert.equal(foldDisplayText('a\u0007b'), 'a\u0007b');
  });
});
