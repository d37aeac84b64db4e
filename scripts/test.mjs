// npm test: builds (done by the npm script), starts a private moto on a free port unless
// AWS_ENDPOINT_URL is set, bootstraps it, and runs every compiled test with node's test runner.
//   --unit  only unit tests (no emulator)     --e2e  only end-to-end tests     words: filter files
// Without DATABASE_URL the e2e tests use a throw-away SQLite file; with it, that MySQL/MariaDB.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startMoto } from './lib/emulator.mjs';

const root = new URL('..', import.meta.url).pathname;
const argv = process.argv.slice(2);
const args = new Set(argv.filter((a) => a.startsWith('--')));
// Any other argument filters test files by substring: node scripts/test.mjs --e2e jobs
const filters = argv.filter((a) => !a.startsWith('--'));
const wantUnit = !args.has('--e2e');
const wantE2e = !args.has('--unit');

function find(dir, suffix, out = []) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const entry of entries) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) find(path, suffix, out);
    else if (entry.endsWith(suffix)) out.push(path);
  }
  return out.sort();
}

const dist = join(root, 'dist');
const unit = wantUnit
  ? ['apps', 'libs', 'test/static'].flatMap((d) => find(join(dist, d), '.spec.js'))
  : [];
const e2e = wantE2e ? find(join(dist, 'test/e2e'), '.e2e-spec.js') : [];
const keep = (file) => filters.length === 0 || filters.some((f) => file.includes(f));
unit.splice(0, unit.length, ...unit.filter(keep));
e2e.splice(0, e2e.length, ...e2e.filter(keep));
const files = [...unit, ...e2e];
if (files.length === 0) {
  console.error('No compiled tests found under dist/: run npm run build first.');
  process.exit(1);
}

const env = {
  ...process.env,
  NODE_ENV: 'test',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
  LOG_FORMAT: 'json',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  RESOURCE_PREFIX: process.env.RESOURCE_PREFIX ?? 'cctest',
  WORKER_POLL_WAIT_SECONDS: process.env.WORKER_POLL_WAIT_SECONDS ?? '1',
};

let moto;
let scratch;
if (e2e.length > 0) {
  if (!env.AWS_ENDPOINT_URL) {
    moto = await startMoto();
    env.AWS_ENDPOINT_URL = moto.url;
    env.CODECRAFT_TEST_EMULATOR = 'moto';
    console.log(`moto started on ${moto.url}`);
  }
  if (!env.DATABASE_URL && !env.DB_SECRET_ID) {
    scratch = mkdtempSync(join(tmpdir(), 'codecraft-test-'));
    env.SQLITE_PATH = join(scratch, 'test.sqlite');
  }
  console.log(
    `e2e against ${env.AWS_ENDPOINT_URL} and ${env.DATABASE_URL ? 'MySQL' : `SQLite ${env.SQLITE_PATH}`}`,
  );
  for (const script of ['bootstrap', 'migrate']) {
    const result = spawnSync(process.execPath, [join(dist, 'scripts', `${script}.js`)], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (result.status !== 0) {
      await moto?.stop();
      console.error(`${script} failed`);
      process.exit(1);
    }
  }
}

console.log(`Running ${unit.length} unit and ${e2e.length} e2e test files`);
const child = spawn(
  process.execPath,
  [
    '--test',
    '--test-concurrency=1',
    '--test-timeout=180000',
    '--test-reporter=spec',
    ...files.map((f) => relative(root, f)),
  ],
  { cwd: root, env, stdio: 'inherit' },
);
const code = await new Promise((resolve) =>
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))),
);
await moto?.stop();
if (scratch) rmSync(scratch, { recursive: true, force: true });
process.exit(code);
