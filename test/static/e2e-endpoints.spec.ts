import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const root = process.cwd();

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Runs `code` (an ES module) as the e2e runner runs a test file: with the endpoints given. */
function inE2eProcess(code: string) {
  return spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: root,
    env: { ...process.env, CODECRAFT_E2E_ENDPOINTS_GIVEN: '1' },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('the e2e suite uses the AWS endpoints it is given', () => {
  it('no e2e file starts or spawns an emulator of its own', () => {
    const offenders = sources(join(root, 'test/e2e')).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return /\bstart(Moto|LocalStack)\b|moto_server|localstack\.runtime/.test(text)
        ? [file.slice(root.length + 1)]
        : [];
    });
    assert.deepEqual(offenders, []);
  });

  for (const [module, starter] of [
    ['./scripts/lib/emulator.mjs', 'startMoto'],
    ['./scripts/lib/localstack.mjs', 'startLocalStack'],
  ] as const) {
    it(`${starter} refuses to run inside an e2e test process`, () => {
      const run = inE2eProcess(
        `const m = await import('${module}');
         try { const e = await m.${starter}(); await e.stop(); process.exit(3); }
         catch (error) { console.log(String(error.message)); process.exit(0); }`,
      );
      assert.equal(run.status, 0, `${starter} started an emulator: ${run.stdout}${run.stderr}`);
      assert.match(run.stdout, /must use the AWS endpoints they are given/);
    });
  }
});
