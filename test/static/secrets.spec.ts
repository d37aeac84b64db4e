import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const install = spawnSync('bash', ['scripts/scan-secrets.sh', '--install'], { encoding: 'utf8' });
const gitleaks = install.status === 0 ? install.stdout.trim().split('\n').pop() : undefined;
const skip =
  gitleaks === undefined && process.env.CI !== 'true'
    ? `gitleaks could not be built here (needs Go): ${install.stderr.trim()}`
    : false;

describe('secret scanning (gitleaks)', { skip }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'gitleaks-'));
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
  });
  const scan = (dir: string) =>
    spawnSync(
      gitleaks ?? 'gitleaks',
      ['dir', dir, '--no-banner', '--redact', '--config', '.gitleaks.toml'],
      {
        encoding: 'utf8',
      },
    );

  it('is installed in CI', () => {
    assert.ok(gitleaks, install.stderr);
  });

  it('finds a secret planted in a file, so a clean scan means something', () => {
    // Built at run time, so that the repository itself never holds a key-shaped string.
    const id = ['AKIA', 'Q3EGRIT5', 'YK6P2ZXW'].join('');
    const secret = ['wJalrXUtnFEMI', 'K7MDENGbPxRfi', 'CYzEXAMPLEKEY9'].join('/');
    writeFileSync(
      join(scratch, 'settings.env'),
      `aws_access_key_id=${id}\naws_secret_access_key=${secret}\n`,
    );
    const result = scan(scratch);
    assert.equal(result.status, 1, `${result.stdout}${result.stderr}`);
    assert.match(result.stderr + result.stdout, /leaks found/);
  });

  it('finds none in the repository (working tree and history)', () => {
    const result = spawnSync('bash', ['scripts/scan-secrets.sh'], { encoding: 'utf8' });
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
  });
});
