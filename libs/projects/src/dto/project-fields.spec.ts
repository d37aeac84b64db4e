import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestException } from '@nestjs/common';
import { parseProjectPost } from '../project-post.parser.js';
import { PROJECT_NAME_MAX_LENGTH } from '../project.js';
import { INVISIBLE, PROJECT_NAME_PATTERN } from './project-fields.js';

/** What the server says of a name: accepted, or refused (400). */
async function accepts(name: string): Promise<boolean> {
  try {
    await parseProjectPost({ name });
    return true;
  } catch (error) {
    assert.ok(error instanceof BadRequestException, String(error));
    return false;
  }
}

describe('the documented project name', () => {
  it('names exactly the BMP characters that folding removes, trims or refuses', () => {
    const documented = new RegExp(`^[${INVISIBLE}]$`);
    const unicode = /^[\p{Cc}\p{Cf}\p{Zs}\s]$/u;
    const differ: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const char = String.fromCharCode(code);
      if (documented.test(char) !== unicode.test(char)) differ.push(code.toString(16));
    }
    assert.deepEqual(differ, []);
  });

  it('matches what the server accepts', async () => {
    const pattern = new RegExp(PROJECT_NAME_PATTERN);
    const names = [
      'Open Atlas',
      ' padded ',
      '\u200bzero\u200bwidth',
      'Café\u3000Project',
      '   ',
      '\u200b\u00a0',
      'tab\there',
      'bell\u0007',
      'del\u007f',
      'x'.repeat(PROJECT_NAME_MAX_LENGTH),
    ];
    for (const name of names) {
      assert.equal(pattern.test(name), await accepts(name), JSON.stringify(name));
    }
  });

  it('holds the length limit to the name as sent', async () => {
    assert.equal(await accepts(`${'x'.repeat(PROJECT_NAME_MAX_LENGTH - 2)}  `), true);
    assert.equal(await accepts(` ${'x'.repeat(PROJECT_NAME_MAX_LENGTH)}`), false);
  });
});
