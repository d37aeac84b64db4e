import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  displayFileName,
  fileObjectKey,
  fileStagingKey,
  KEY_NAME_MAX_BYTES,
  safeObjectName,
} from './safe-name.js';

const HOSTILE = [
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '/absolute/path.pdf',
  'a/../../b.pdf',
  '..',
  '.',
  '...',
  '',
  '   ',
  '\u0000\u0001\u001f',
  'evil\u202Efdp.exe',
  'zero\u200Bwidth\u200D.pdf',
  '\uFF0E\uFF0E\uFF0Fescape\uFF0Ftarget.pdf',
  'ｆｕｌｌ／ｗｉｄｔｈ．pdf',
  '.htaccess',
  'x'.repeat(5000) + '.pdf',
  '😀'.repeat(300) + '.png',
  'name with spaces & symbols?#%.txt',
  'nul\u0000byte.pdf.exe',
  '%2e%2e%2fencoded.pdf',
];

describe('safeObjectName', () => {
  it('never yields a separator, a dot-dot, a leading dot, a control or an empty name', () => {
    for (const name of HOSTILE) {
      const safe = safeObjectName(name);
      assert.ok(safe.length > 0, `empty for ${JSON.stringify(name)}`);
      assert.doesNotMatch(safe, /[/\\]/, `separator in ${safe}`);
      assert.ok(!safe.includes('..'), `dot-dot in ${safe}`);
      assert.ok(!safe.startsWith('.'), `leading dot in ${safe}`);
      assert.doesNotMatch(
        safe,
        /[\p{Cc}\p{Cf}]/u,
        `invisible character in ${JSON.stringify(safe)}`,
      );
      assert.ok(Buffer.byteLength(safe) <= KEY_NAME_MAX_BYTES, `too long: ${safe.length}`);
    }
  });

  it('keeps ordinary names and their extension (lower-cased)', () => {
    assert.equal(safeObjectName('guide.pdf'), 'guide.pdf');
    assert.equal(safeObjectName('Résumé 2024.PDF'), 'Résumé_2024.pdf');
    assert.equal(safeObjectName('設計書.docx'), '設計書.docx');
  });

  it('normalises look-alikes (NFKC) before judging them', () => {
    assert.equal(safeObjectName('ｆｕｌｌ／ｗｉｄｔｈ．pdf'), 'full_width.pdf');
    assert.equal(safeObjectName('\uFF0E\uFF0E\uFF0Fescape.pdf'), 'escape.pdf');
  });

  it('replaces traversal and strips bidi and zero-width characters', () => {
    assert.equal(safeObjectName('../../etc/passwd'), 'etc_passwd');
    assert.equal(safeObjectName('evil\u202Efdp.exe'), 'evilfdp.exe');
    assert.equal(safeObjectName('zero\u200Bwidth.pdf'), 'zerowidth.pdf');
    assert.equal(safeObjectName('..'), 'file');
    assert.equal(safeObjectName(''), 'file');
  });

  it('keeps the extension when it truncates a long name', () => {
    const safe = safeObjectName(`${'x'.repeat(5000)}.pdf`);
    assert.ok(safe.endsWith('.pdf'));
    assert.equal(Buffer.byteLength(safe), KEY_NAME_MAX_BYTES);
    const emoji = safeObjectName(`${'😀'.repeat(300)}.png`);
    assert.ok(emoji.endsWith('.png'));
    assert.ok(Buffer.byteLength(emoji) <= KEY_NAME_MAX_BYTES);
    assert.doesNotMatch(emoji, /\uFFFD/);
  });
});

describe('displayFileName', () => {
  it('keeps the name people gave but removes what could spoof or break it', () => {
    assert.equal(displayFileName('Résumé 2024.pdf'), 'Résumé 2024.pdf');
    assert.equal(displayFileName('evil\u202Efdp.exe'), 'evilfdp.exe');
    assert.equal(displayFileName('../../etc/passwd'), '.._.._etc_passwd');
    assert.equal(displayFileName('a\r\nb.txt'), 'a b.txt');
    assert.equal(displayFileName('..'), 'file');
    assert.equal(Array.from(displayFileName('é'.repeat(400))).length, 255);
  });
});

describe('fileObjectKey', () => {
  it('puts every name under {projectId}/{fileId}/ with exactly one more segment', () => {
    for (const name of HOSTILE) {
      const key = fileObjectKey('p-1', 'f-1', name);
      assert.ok(key.startsWith('p-1/f-1/'), key);
      assert.equal(key.split('/').length, 3, key);
    }
  });

  it('refuses ids that could themselves be paths', () => {
    assert.throws(() => fileObjectKey('../x', 'f', 'a.pdf'));
    assert.throws(() => fileObjectKey('p', 'a/b', 'a.pdf'));
  });

  it('stages presigned uploads beside the final key, never on a safe name', () => {
    assert.equal(fileStagingKey('p', 'f'), '.pending/p/f');
    assert.notEqual(safeObjectName('.pending'), '.pending');
  });
});
