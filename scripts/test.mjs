// npm test: builds (done by the npm script), starts the AWS emulators the e2e tests need unless
// AWS_ENDPOINT_URL is set, bootstraps them, and runs every compiled test with node's test runner.
//   --unit        only unit and static tests (no emulator)
//   --e2e         only end-to-end tests
//   (neither)     unit, static, e2e and the dev kit's own test (test/devkit)
//   --localstack  e2e on LocalStack 4.14 (host mode: S3, SQS, EventBridge, SES v1, Secrets Manager, CloudWatch,
//                 STS) with moto for DynamoDB and Cognito, through the per-service endpoints
//   --lambda      only the Lambda tier (test/lambda): the built handlers under the Lambda Runtime
//                 Interface Emulator (scripts/lib/lambda-runtime.mjs, installed on first use);
//                 needs DATABASE_URL (MySQL/MariaDB) or DB_SECRET_ID, as a deployed function does
//   --fault       only the fault tier (test/fault): dependencies frozen or stopped under load and
//                 workers killed mid-run; always on a private moto, which its tests freeze
//                 (SIGSTOP, CODECRAFT_FAULT_MOTO_PID), so AWS_ENDPOINT_URL must be unset
//   words         filter test files by substring: node scripts/test.mjs --e2e jobs
// Without DATABASE_URL the e2e tests use a throw-away SQLite file; with it, that MySQL/MariaDB.
// The code under test logs to .cache/test-logs/ (scripts/lib/test-reporter.mjs), not the terminal.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startMoto } from './lib/emulator.mjs';
import { ensureLambdaRuntime } from './lib/lambda-runtime.mjs';
import { startLocalStack } from './lib/localstack.mjs';
import { logDir } from './lib/test-reporter.mjs';

const root = new URL('..', import.meta.url).pathname;
const argv = process.argv.slice(2);
const args = new Set(argv.filter((a) => a.startsWith('--')));
const filters = argv.filter((a) => !a.startsWith('--'));
const onLocalStack = args.has('--localstack');
const onLambda = args.has('--lambda');
const onFault = args.has('--fault');
const wantUnit = !args.has('--e2e') && !onLocalStack && !onLambda && !onFault;
const wantE2e = !args.has('--unit') && !onLambda && !onFault;

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
const keep = (file) => filters.length === 0 || filters.some((f) => file.includes(f));
const unit = wantUnit
  ? ['apps', 'libs', 'test/static'].flatMap((d) => find(join(dist, d), '.spec.js')).filter(keep)
  : [];
const e2e = wantE2e ? find(join(dist, 'test/e2e'), '.e2e-spec.js').filter(keep) : [];
// The dev kit's own test runs `npm run dev` from nothing (its own moto), so only in the full run.
const devkit = wantUnit && wantE2e ? find(join(dist, 'test/devkit'), '.spec.js').filter(keep) : [];
// The Lambda tier runs only when asked for: it needs a SQL server and its runtime's native build.
const lambda = onLambda ? find(join(dist, 'test/lambda'), '.lambda-spec.js').filter(keep) : [];
// The fault tier runs only when asked for: it freezes its emulator and kills its workers.
const fault = onFault ? find(join(dist, 'test/fault'), '.fault-spec.js').filter(keep) : [];
const files = [...unit, ...e2e, ...devkit, ...lambda, ...fault];
if (files.length === 0) {
  console.error('No compiled tests found under dist/: run npm run build first.');
  process.exit(1);
}

const env = {
  ...process.env,
  NODE_ENV: 'test',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
  LOG_FORMAT: 'json',
  RESOURCE_PREFIX: process.env.RESOURCE_PREFIX ?? 'cctest',
  WORKER_POLL_WAIT_SECONDS: process.env.WORKER_POLL_WAIT_SECONDS ?? '1',
  // The rate limit stays on (each request is counted), but high: parallel files share the demo
  // user's budget. test/e2e/rate-limit.e2e-spec.ts sets its own, low one.
  RATE_LIMIT_REQUESTS: process.env.RATE_LIMIT_REQUESTS ?? '1000000',
};

if (lambda.length > 0) {
  if (!env.DATABASE_URL && !env.DB_SECRET_ID) {
    console.error('--lambda runs the functions with NODE_ENV=production: set DATABASE_URL');
    process.exit(1);
  }
  ensureLambdaRuntime();
}

const emulators = [];
const stopEmulators = () => Promise.all(emulators.map((e) => e.stop()));
let scratch;
if (e2e.length > 0 || lambda.length > 0 || fault.length > 0) {
  mkdirSync(logDir, { recursive: true });
  if (onLocalStack) {
    if (env.AWS_ENDPOINT_URL) {
      console.error('--localstack starts its own emulators: unset AWS_ENDPOINT_URL');
      process.exit(1);
    }
    const [localstack, moto] = await Promise.all([
      startLocalStack({ logFile: join(logDir, 'localstack.log') }),
      startMoto(),
    ]);
    emulators.push(localstack, moto);
    env.AWS_ENDPOINT_URL = localstack.url;
    // What LocalStack's free plan lacks (DynamoDB needs DynamoDB Local; Cognito is a paid feature).
    env.AWS_ENDPOINT_URL_DYNAMODB = moto.url;
    env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = moto.url;
    console.log(`LocalStack on ${localstack.url}; moto for DynamoDB and Cognito on ${moto.url}`);
  } else if (onFault) {
    // The fault tests SIGSTOP this moto: never a shared emulator. Resumed before it is stopped.
    if (env.AWS_ENDPOINT_URL) {
      console.error('--fault freezes its own moto: unset AWS_ENDPOINT_URL');
      process.exit(1);
    }
    const moto = await startMoto();
    const pid = moto.child.pid;
    emulators.push({
      stop: () => {
        if (moto.child.exitCode === null) moto.child.kill('SIGCONT');
        return moto.stop();
      },
    });
    env.AWS_ENDPOINT_URL = moto.url;
    env.CODECRAFT_FAULT_MOTO_PID = String(pid);
    console.log(`private moto (pid ${pid}) started on ${moto.url}`);
  } else if (!env.AWS_ENDPOINT_URL) {
    const moto = await startMoto();
    emulators.push(moto);
    env.AWS_ENDPOINT_URL = moto.url;
    console.log(`moto started on ${moto.url}`);
  }
  // Every e2e test uses the endpoints above: starting another emulator from a test is refused
  // (scripts/lib/emulator.mjs and localstack.mjs check this variable).
  env.CODECRAFT_E2E_ENDPOINTS_GIVEN = '1';
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
      await stopEmulators();
      console.error(`${script} failed`);
      process.exit(1);
    }
  }
}

console.log(
  onLambda
    ? `Running ${lambda.length} Lambda runtime test files`
    : onFault
      ? `Running ${fault.length} fault test files`
      : `Running ${unit.length} unit, ${e2e.length} e2e and ${devkit.length} dev-kit test files`,
);
const child = spawn(
  process.execPath,
  [
    '--test',
    '--test-concurrency=1',
    '--test-timeout=180000',
    `--test-reporter=${join(root, 'scripts/lib/test-reporter.mjs')}`,
    '--test-reporter-destination=stdout',
    ...files.map((f) => relative(root, f)),
  ],
  { cwd: root, env, stdio: 'inherit' },
);
const code = await new Promise((resolve) =>
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))),
);
await stopEmulators();
if (scratch) rmSync(scratch, { recursive: true, force: true });
process.exit(code);
