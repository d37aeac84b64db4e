import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  declaredTypeOf,
  judgeContent,
  looksLikeText,
  normalizeContentType,
  sniffContent,
} from './content-sniffer.js';

const PDF = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1');
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from([0, 0, 0, 13]),
  Buffer.from('IHDR'),
  Buffer.alloc(17),
]);
const ALLOWED = ['application/pdf', 'image/png', 'text/plain', 'text/csv', 'application/json'];

describe('sniffContent', () => {
  it('recognises formats by their magic numbers', async () => {
    assert.deepEqual(await sniffContent(PDF, true), {
      kind: 'binary',
      type: 'application/pdf',
      extension: 'pdf',
    });
    const png = await sniffContent(PNG, true);
    assert.equal(png.kind === 'binary' && png.type, 'image/png');
  });

  it('tells UTF-8 text from unknown binary and empty content', async () => {
    assert.deepEqual(await sniffContent(Buffer.from('a,b\n1,2\n'), true), { kind: 'text' });
    assert.deepEqual(await sniffContent(Buffer.from('héllo wörld'), true), { kind: 'text' });
    assert.deepEqual(await sniffContent(Buffer.from([0x00, 0x01, 0xfe, 0x99]), true), {
      kind: 'unknown',
    });
    assert.deepEqual(await sniffContent(Buffer.alloc(0), true), { kind: 'empty' });
  });
});

describe('looksLikeText', () => {
  it('tolerates a character cut at the end of a prefix, not in complete content', () => {
    const cut = Buffer.from('héllo').subarray(0, 2);
    assert.equal(looksLikeText(cut, false), true);
    assert.equal(looksLikeText(cut, true), false);
  });
});

describe('judgeContent', () => {
  it('lets the bytes decide when nothing is declared', async () => {
    assert.deepEqual(
      judgeContent(await sniffContent(PDF, true), { declared: undefined }, ALLOWED),
      {
        ok: true,
        contentType: 'application/pdf',
        fileType: 'pdf',
      },
    );
  });

  it('refuses a declared type the bytes contradict', async () => {
    const verdict = judgeContent(
      await sniffContent(PNG, true),
      { declared: 'application/pdf' },
      ALLOWED,
    );
    assert.deepEqual(verdict, {
      ok: false,
      reason: 'mismatch',
      declared: 'application/pdf',
      detected: 'image/png',
    });
    const text = judgeContent(
      await sniffContent(Buffer.from('plain'), true),
      { declared: 'image/png' },
      ALLOWED,
    );
    assert.equal(text.ok, false);
  });

  it('accepts a text type declared for text, and refines text by the file extension', async () => {
    const text = await sniffContent(Buffer.from('{"a":1}'), true);
    assert.equal(
      judgeContent(text, { declared: 'application/json' }, ALLOWED).ok && 'json',
      'json',
    );
    const csv = judgeContent(
      await sniffContent(Buffer.from('a,b'), true),
      { declared: undefined, fileName: 'data.csv' },
      ALLOWED,
    );
    assert.deepEqual(csv, { ok: true, contentType: 'text/csv', fileType: 'csv' });
  });

  it('refuses types outside the allow-list even when honest', async () => {
    const html = judgeContent(
      await sniffContent(Buffer.from('<html></html>'), true),
      { declared: 'text/html' },
      ALLOWED,
    );
    assert.deepEqual(html, {
      ok: false,
      reason: 'not-allowed',
      declared: 'text/html',
      detected: 'text/html',
    });
    const unknown = judgeContent(
      await sniffContent(Buffer.from([0, 1, 2, 3]), true),
      { declared: undefined },
      ALLOWED,
    );
    assert.equal(!unknown.ok && unknown.reason, 'not-allowed');
  });

  it('calls empty content empty', async () => {
    const verdict = judgeContent(
      await sniffContent(Buffer.alloc(0), true),
      { declared: undefined },
      ALLOWED,
    );
    assert.equal(!verdict.ok && verdict.reason, 'empty');
  });
});

describe('declared types', () => {
  it('normalises MIME types and aliases; octet-stream claims nothing', () => {
    assert.equal(normalizeContentType('Image/JPG; charset=binary'), 'image/jpeg');
    assert.equal(normalizeContentType('application/octet-stream'), undefined);
    assert.equal(normalizeContentType(''), undefined);
    assert.equal(normalizeContentType('not a type'), undefined);
  });

  it("reads the original API's file_type", () => {
    assert.equal(declaredTypeOf('pdf'), 'application/pdf');
    assert.equal(declaredTypeOf('.PNG'), 'image/png');
    assert.equal(declaredTypeOf('application/pdf'), 'application/pdf');
    assert.equal(declaredTypeOf('mystery'), undefined);
    assert.equal(declaredTypeOf(undefined), undefined);
  });
});
