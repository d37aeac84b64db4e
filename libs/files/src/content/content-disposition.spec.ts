import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asciiFallbackName, contentDisposition } from './content-disposition.js';

describe('contentDisposition', () => {
  it('gives plain ASCII names unchanged in both parameters', () => {
    assert.equal(
      contentDisposition('guide.pdf'),
      `attachment; filename="guide.pdf"; filename*=UTF-8''guide.pdf`,
    );
  });

  it('percent-encodes UTF-8 in filename* and falls back to ASCII in filename', () => {
    assert.equal(
      contentDisposition('Résumé €.pdf'),
      `attachment; filename="Resume _.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%E2%82%AC.pdf`,
    );
  });

  it('cannot be broken out of: quotes, backslashes, semicolons, CR/LF', () => {
    const header = contentDisposition('a"; filename="evil.html\r\nX-Injected: 1\\.pdf');
    assert.doesNotMatch(header, /[\r\n]/);
    const quoted = /filename="([^"]*)"/.exec(header)?.[1] ?? '';
    assert.doesNotMatch(quoted, /["\\;]/);
    assert.match(header, /filename\*=UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]+$/);
  });

  it("encodes the characters encodeURIComponent would leave (' ( ) *)", () => {
    assert.match(
      contentDisposition("it's (1)*.txt"),
      /filename\*=UTF-8''it%27s%20%281%29%2A\.txt$/,
    );
  });

  it('has an ASCII fallback even for names without any ASCII letter', () => {
    assert.equal(asciiFallbackName('設計書'), 'file');
    assert.equal(asciiFallbackName('設計書.pdf'), '___.pdf');
  });

  it('can be inline', () => {
    assert.match(contentDisposition('a.png', 'inline'), /^inline; /);
  });
});
