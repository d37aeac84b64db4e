// npm run test:fuzz: contract fuzzing. schemathesis (pinned, .cache/schemathesis-venv) against the
// built API's own OpenAPI document (/docs-json), every check on, two users:
//   private moto -> bootstrap -> migrations (throw-away SQLite) -> API on 127.0.0.1:<free port>
//   -> two Cognito users (A and B, not admins)
//   -> pass 1: every operation as A, B as A's peer (object_level_authorization: B must not see A's objects)
//   -> pass 2: every operation as B, fewer examples (what A's pass deleted cannot hide the rest)
// Exclusions (operations, checks, statuses a check accepts) live in test/fuzz/exclusions.yaml,
// each with its reason; the runner turns them into schemathesis's configuration.
//   --max-examples N   test cases per operation and phase in pass 1 (default 20; pass 2: a third)
//   --budget S         wall-clock bound of the whole run in seconds (default 270): past it the
//                      fuzzer is interrupted and the run fails
//   --seed N           reproduce a run (printed at the start)
//   --workers N        schemathesis workers (default 2)
// Reports: .cache/fuzz/<pass>/ (JUnit, NDJSON; and the API's error log .cache/fuzz/api.log).
// Exit 0 only when both passes end without a failure or an error.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { parse } from 'yaml';
import { freePort, startMoto } from './lib/emulator.mjs';

/** schemathesis 4.32's own expected statuses of the checks that have them, plus `extra`. */
const DEFAULT_STATUSES = {
  not_a_server_error: ['2xx', '3xx', '4xx'],
  positive_data_acceptance: ['2xx', '3xx', '401', '403', '404', '409', '429', '5xx'],
  negative_data_rejection: [
    '400',
    '401',
    '403',
    '404',
    '405',
    '406',
    '409',
    '415',
    '422',
    '428',
    '429',
    '5xx',
  ],
  missing_required_header: ['400', '401', '403', '406', '415', '422'],
};
const root = new URL('..', import.meta.url).pathname;
const outDir = join(root, '.cache', 'fuzz');
const started = Date.now();

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  if (at === -1) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a positive integer`);
  return value;
}
const maxExamples = option('max-examples', 20);
const budgetSeconds = option('budget', 270);
const seed = option('seed', randomInt(1, 2 ** 31));
const workers = option('workers', 2);
const deadline = started + budgetSeconds * 1000;
const elapsed = () => `${Math.round((Date.now() - started) / 1000)}s`;
const log = (message) => console.log(`[fuzz +${elapsed()}] ${message}`);

if (!existsSync(join(root, 'dist/apps/api/src/main.js'))) {
  console.error('dist/ is missing: npm run build first (npm run test:fuzz does).');
  process.exit(1);
}

const ensure = spawnSync('bash', [join(root, 'scripts/ensure-schemathesis.sh')], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (ensure.status !== 0) process.exit(ensure.status ?? 1);
const schemathesis = ensure.stdout.trim().split('\n').pop();

const exclusions = loadExclusions(join(root, 'test/fuzz/exclusions.yaml'));

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const scratch = mkdtempSync(join(tmpdir(), 'codecraft-fuzz-'));
// Undone last first: the API, moto, the scratch directory (SQLite file, tokens).
const cleanups = [() => rmSync(scratch, { recursive: true, force: true })];
async function cleanUp() {
  for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) await cleanup();
}
// Ctrl-C or a CI timeout: stop what this run started before leaving.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`[fuzz] ${signal}: stopping`);
    void cleanUp().finally(() => process.exit(130));
  });
}
let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  console.error(error);
} finally {
  await cleanUp();
}
log(`done: ${exitCode === 0 ? 'no failures' : 'FAILED'}`);
process.exit(exitCode);

async function main() {
  const moto = await startMoto();
  cleanups.push(() => moto.stop());
  const port = await freePort();
  // This run's own emulator and database, whatever the caller's environment points at.
  const inherited = Object.entries(process.env).filter(
    ([key]) => !/^(AWS_ENDPOINT_URL_\w+|DATABASE_URL|DB_SECRET_ID)$/.test(key),
  );
  const env = {
    ...Object.fromEntries(inherited),
    NODE_ENV: 'test',
    PORT: String(port),
    LOG_LEVEL: 'error',
    LOG_FORMAT: 'json',
    RESOURCE_PREFIX: 'ccfuzz',
    AWS_ENDPOINT_URL: moto.url,
    SQLITE_PATH: join(scratch, 'fuzz.sqlite'),
    // Counted but never reached: a fuzzer answered 429 would stop testing the operations.
    RATE_LIMIT_REQUESTS: '1000000',
  };
  log(`moto on ${moto.url}; bootstrap and migrations (SQLite in ${scratch})`);
  for (const script of ['bootstrap', 'migrate']) {
    const result = spawnSync(process.execPath, [join(root, 'dist/scripts', `${script}.js`)], {
      cwd: root,
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (result.status !== 0) throw new Error(`${script} failed`);
  }

  const api = spawn(process.execPath, [join(root, 'dist/apps/api/src/main.js')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const apiLog = createWriteStream(join(outDir, 'api.log'));
  api.stdout.pipe(apiLog);
  api.stderr.pipe(apiLog);
  cleanups.push(() => stop(api));
  process.once('exit', () => {
    if (api.exitCode === null && api.signalCode === null) api.kill('SIGKILL');
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(`${url}/health/ready`, api);
  log(`API on ${url}`);

  const users = await signInUsers(env);
  const wfc = join(scratch, 'auth.json');
  writeFileSync(
    wfc,
    JSON.stringify({
      schemaVersion: '0.2.0',
      auth: users.map((u) => ({
        name: u.name,
        fixedHeaders: [{ name: 'Authorization', value: `Bearer ${u.token}` }],
      })),
    }),
    { mode: 0o600 },
  );

  log(`seed ${seed}; pass 1 (user A, B as its peer), ${maxExamples} examples per operation`);
  const first = await runPass('pass-1-user-a', {
    url,
    wfc,
    user: 'user-a',
    peers: ['user-a', 'user-b'],
    examples: maxExamples,
  });
  if (first.interrupted) return 1;
  log(`pass 2 (user B), ${Math.max(1, Math.round(maxExamples / 3))} examples per operation`);
  const second = await runPass('pass-2-user-b', {
    url,
    wfc,
    user: 'user-b',
    peers: [],
    examples: Math.max(1, Math.round(maxExamples / 3)),
  });
  if (api.exitCode !== null) {
    console.error(`the API exited (${api.exitCode}) during the run: see .cache/fuzz/api.log`);
    return 1;
  }
  return first.code === 0 && second.code === 0 ? 0 : 1;
}

async function runPass(name, { url, wfc, user, peers, examples }) {
  const dir = join(outDir, name);
  mkdirSync(dir, { recursive: true });
  const config = join(scratch, `${name}.toml`);
  writeFileSync(config, schemathesisConfig({ wfc, user, peers, dir }));
  const args = [
    '--config-file',
    config,
    'run',
    `${url}/docs-json`,
    '--checks',
    'all',
    '--max-examples',
    String(examples),
    '--seed',
    String(seed),
    '--workers',
    String(workers),
    '--request-timeout',
    '20',
    '--no-color',
    ...exclusions.operationFilters,
  ];
  const child = spawn(schemathesis, args, {
    cwd: dir,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let interrupted = false;
  const timer = setTimeout(
    () => {
      interrupted = true;
      console.error(`\n[fuzz] over the ${budgetSeconds}s budget: interrupting ${name}`);
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    },
    Math.max(1000, deadline - Date.now()),
  );
  const code = await new Promise((resolve) =>
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))),
  );
  clearTimeout(timer);
  const summary = await summarize(join(dir, 'events.ndjson'));
  log(
    `${name}: exit ${code}${interrupted ? ' (interrupted: over budget)' : ''}; ${summary.operations} operations, ` +
      `${summary.requests} requests (${summary.serverErrors} answered 5xx), ${summary.checks} checks, ` +
      `${summary.failures} failed; statuses ${JSON.stringify(summary.statuses)}`,
  );
  return { code: interrupted ? 1 : code, interrupted };
}

/** Counts from schemathesis's NDJSON report: what was sent, what came back, what failed. */
async function summarize(file) {
  const summary = {
    operations: 0,
    requests: 0,
    serverErrors: 0,
    checks: 0,
    failures: 0,
    statuses: {},
  };
  if (!existsSync(file)) return summary;
  const operations = new Set();
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.includes('"ScenarioFinished"')) continue;
    const { recorder } = JSON.parse(line).ScenarioFinished;
    operations.add(recorder.label);
    for (const { response } of Object.values(recorder.interactions ?? {})) {
      summary.requests += 1;
      const status = response?.status_code ?? 'none';
      summary.statuses[status] = (summary.statuses[status] ?? 0) + 1;
      if (typeof status === 'number' && status >= 500) summary.serverErrors += 1;
    }
    for (const results of Object.values(recorder.checks ?? {})) {
      summary.checks += results.length;
      summary.failures += results.filter((check) => check.status === 'failure').length;
    }
  }
  // Stateful scenarios are recorded under their own label.
  summary.operations = [...operations].filter((label) => / \//.test(label)).length;
  return summary;
}

function schemathesisConfig({ wfc, user, peers, dir }) {
  const lines = [
    '# Generated by scripts/fuzz.mjs from test/fuzz/exclusions.yaml: edit that file instead.',
    // Hypothesis's own generator health checks: a shared CI machine can be slow.
    'suppress-health-check = ["too_slow", "filter_too_much"]',
    '',
    '[generation]',
    'database = "none"',
    '',
    '[cache]',
    'enabled = false',
    '',
    '[reports]',
    `directory = ${toml(dir)}`,
    '[reports.junit]',
    'enabled = true',
    `path = ${toml(join(dir, 'junit.xml'))}`,
    '[reports.ndjson]',
    'enabled = true',
    `path = ${toml(join(dir, 'events.ndjson'))}`,
    '',
    '[auth.wfc]',
    `path = ${toml(wfc)}`,
    `user = ${toml(user)}`,
    ...(peers.length > 0 ? [`peers = [${peers.map(toml).join(', ')}]`] : []),
    '',
  ];
  for (const check of exclusions.checks) lines.push(`[checks.${check}]`, 'enabled = false', '');
  for (const [check, statuses] of Object.entries(exclusions.accepted.global)) {
    lines.push(`[checks.${check}]`, `expected-statuses = ${statusList(check, statuses)}`, '');
  }
  // One [[operations]] block per operation.
  const perOperation = new Map();
  const block = (method, path) => {
    const key = `${method} ${path}`;
    if (!perOperation.has(key)) perOperation.set(key, { method, path, settings: [] });
    return perOperation.get(key).settings;
  };
  for (const entry of exclusions.operationChecks) {
    block(entry.method, entry.path).push(
      ...entry.checks.map((check) => `checks.${check}.enabled = false`),
    );
  }
  const acceptedHere = new Map();
  for (const entry of exclusions.accepted.perOperation) {
    const key = JSON.stringify([entry.method, entry.path, entry.check]);
    const global = exclusions.accepted.global[entry.check] ?? [];
    acceptedHere.set(key, [...(acceptedHere.get(key) ?? global), ...entry.statuses]);
  }
  for (const [key, statuses] of acceptedHere) {
    const [method, path, check] = JSON.parse(key);
    block(method, path).push(`checks.${check}.expected-statuses = ${statusList(check, statuses)}`);
  }
  for (const { method, path, settings } of perOperation.values()) {
    lines.push(
      '[[operations]]',
      // The label; include-method and include-path would be two filters, OR-ed.
      `include-name = ${toml(`${method} ${path}`)}`,
      ...settings,
      '',
    );
  }
  return lines.join('\n');
}

function statusList(check, extra) {
  const defaults = DEFAULT_STATUSES[check];
  if (!defaults) throw new Error(`accepted-statuses: ${check} has no expected statuses`);
  return toml([...new Set([...defaults, ...extra.map(String)])]);
}

function toml(value) {
  return JSON.stringify(value);
}

/** test/fuzz/exclusions.yaml: what the fuzzer leaves out, each with its reason. */
function loadExclusions(file) {
  const doc = parse(readFileSync(file, 'utf8')) ?? {};
  const fail = (message) => {
    throw new Error(`${file}: ${message}`);
  };
  const needReason = (entry, where) => {
    if (typeof entry?.reason !== 'string' || entry.reason.trim().length < 10)
      fail(`${where} needs a reason`);
  };
  const checks = (doc.checks ?? []).map((entry, i) => {
    needReason(entry, `checks[${i}]`);
    if (!/^[a-z_]+$/.test(entry.check ?? '')) fail(`checks[${i}].check must name a check`);
    return entry.check;
  });
  const operationFilters = (doc.operations ?? []).flatMap((entry, i) => {
    needReason(entry, `operations[${i}]`);
    if (!entry.method || !entry.path) fail(`operations[${i}] needs method and path`);
    const method = String(entry.method).toUpperCase();
    return ['--exclude-name', `${method} ${entry.path}`];
  });
  const operationChecks = (doc['operation-checks'] ?? []).map((entry, i) => {
    needReason(entry, `operation-checks[${i}]`);
    if (!entry.method || !entry.path || !Array.isArray(entry.checks) || entry.checks.length === 0)
      fail(`operation-checks[${i}] needs method, path and checks`);
    return { method: String(entry.method).toUpperCase(), path: entry.path, checks: entry.checks };
  });
  const accepted = { global: {}, perOperation: [] };
  (doc['accepted-statuses'] ?? []).forEach((entry, i) => {
    needReason(entry, `accepted-statuses[${i}]`);
    if (!DEFAULT_STATUSES[entry.check] || !Array.isArray(entry.statuses))
      fail(`accepted-statuses[${i}] needs check (one with expected statuses) and statuses`);
    if (Boolean(entry.method) !== Boolean(entry.path))
      fail(`accepted-statuses[${i}]: method and path go together`);
    if (entry.method) {
      accepted.perOperation.push({
        check: entry.check,
        statuses: entry.statuses,
        method: String(entry.method).toUpperCase(),
        path: entry.path,
      });
    } else {
      accepted.global[entry.check] = [...(accepted.global[entry.check] ?? []), ...entry.statuses];
    }
  });
  return { checks, operationFilters, operationChecks, accepted };
}

async function signInUsers(env) {
  const [{ AppConfig }, aws] = await Promise.all([import('#libs/config'), import('#libs/aws')]);
  const config = AppConfig.fromEnv(env);
  const clients = aws.createAwsClients(config.aws);
  try {
    const { poolId, clientId } = await aws.resolveUserPool(config, clients.cognito);
    const users = [];
    for (const name of ['user-a', 'user-b']) {
      const email = `fuzz-${name}@codecraft.local`;
      const password = `Ff1${randomBytes(12).toString('base64url')}`;
      if (!(await aws.ensureUser(clients.cognito, poolId, { email, password, groups: [] })))
        await aws.setPassword(clients.cognito, poolId, email, password);
      const tokens = await aws.signIn(clients.cognito, clientId, email, password);
      users.push({ name, token: tokens.accessToken });
    }
    return users;
  } finally {
    aws.destroyAwsClients(clients);
  }
}

async function waitUntilReady(url, child, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null)
      throw new Error(`the API exited (${child.exitCode}): see .cache/fuzz/api.log`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the API was not ready at ${url} within ${timeoutMs} ms`);
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}
