// npm run load -- <scenario...|all> [--duration 10] [--connections 10]
//   scenarios: submit-jobs, create-projects, book-operations, upload-images (several, or `all`, run
//   one after the other against the same stack; CI runs `all` briefly as a smoke test)
// Starts moto and a fresh SQLite file in a temp dir (or uses AWS_ENDPOINT_URL / DATABASE_URL when
// set), bootstraps, migrates, runs the built API and worker as child processes (logs under
// .cache/load-logs/), loads the API with autocannon on 127.0.0.1, then measures the worker's lag:
// the time from the end of the load until the worker has finished the accepted work (polled).
// Prints one table and exits non-zero on any error (non-2xx, socket error, work not finished).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { GetQueueAttributesCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import sharp from 'sharp';
import { freePort, startMoto } from './lib/emulator.mjs';

const root = new URL('..', import.meta.url).pathname;
const LAG_TIMEOUT_MS = 300_000;
const POLL_MS = 250;

const scenarios = {
  'submit-jobs': submitJobs,
  'create-projects': createProjects,
  'book-operations': bookOperations,
  'upload-images': uploadImages,
};

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
  },
});
const chosen = positionals.includes('all') ? Object.keys(scenarios) : positionals;
/** Names the API's and the worker's log files: the scenario, or `all`. */
const runName = chosen.length === 1 ? chosen[0] : 'all';
const duration = Number(flags.duration);
const connections = Number(flags.connections);
if (chosen.length === 0 || !chosen.every((name) => name in scenarios)) {
  console.error(
    `usage: npm run load -- <${Object.keys(scenarios).join('|')}...|all> [--duration s] [--connections n]`,
  );
  process.exit(2);
}
if (
  !(duration > 0 && duration <= 120) ||
  !(Number.isInteger(connections) && connections >= 1 && connections <= 50)
) {
  console.error('--duration must be in (0, 120] seconds and --connections an integer in [1, 50]');
  process.exit(2);
}

const log = (message) => console.log(`[load] ${message}`);
const children = [];
let moto;
let workDir;

const env = {
  ...process.env,
  NODE_ENV: process.env.NODE_ENV ?? 'development',
  LOG_FORMAT: process.env.LOG_FORMAT ?? 'json',
  MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
  // Each request is still counted (its cost is in the figures), but one user's load must not be
  // answered 429: these scenarios measure the system, not the limit.
  RATE_LIMIT_REQUESTS: process.env.RATE_LIMIT_REQUESTS ?? '1000000',
};

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  console.error(
    `[load] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
} finally {
  await stopAll();
}
process.exit(exitCode);

async function main() {
  const givenEndpoints = Object.keys(env).filter(
    (k) => /^AWS_ENDPOINT_URL(_\w+)?$/.test(k) && env[k],
  );
  if (givenEndpoints.length === 0) {
    moto = await startMoto({ port: await freePort(), quiet: true });
    env.AWS_ENDPOINT_URL = moto.url;
    log(`moto on ${moto.url}`);
  } else {
    log(`using ${givenEndpoints.map((k) => `${k}=${env[k]}`).join(' ')}`);
  }
  if (!env.DATABASE_URL && !env.DB_SECRET_ID) {
    workDir = mkdtempSync(join(tmpdir(), 'codecraft-load-'));
    env.SQLITE_PATH = join(workDir, 'load.sqlite');
  }
  run('dist/scripts/bootstrap.js');
  run('dist/scripts/migrate.js');

  const port = await freePort();
  env.PORT = String(port);
  const logDir = join(root, '.cache', 'load-logs');
  mkdirSync(logDir, { recursive: true });
  start('api', 'dist/apps/api/src/main.js', logDir);
  start('worker', 'dist/apps/worker/src/main.js', logDir);
  const api = `http://127.0.0.1:${port}`;
  await waitForReady(`${api}/health/ready`);

  // Imported late: the config and AWS libs are built by `npm run build` (the script's prelude).
  const { AppConfig } = await import('#libs/config');
  const aws = await import('#libs/aws');
  const config = AppConfig.fromEnv(env);
  const clients = aws.createAwsClients(config.aws);
  try {
    const token = await newToken(aws, config, clients);
    const ctx = { api, token, config, clients, aws };
    let failed = false;
    for (const scenario of chosen) {
      const plan = await scenarios[scenario](ctx);
      log(`${scenario}: ${connections} connections for ${duration} s`);
      const load = await runLoad(api, token, plan);
      const loadEnded = Date.now();
      const lag = await plan.settle(ctx, loadEnded);
      printTable(scenario, load, lag);
      if (load.errors > 0 || !lag.done) {
        failed = true;
        log(`${scenario} failed: see ${join('.cache', 'load-logs')} for the API and worker logs`);
      }
    }
    return failed ? 1 : 0;
  } finally {
    aws.destroyAwsClients(clients);
  }
}

// ---------------------------------------------------------------------------------------------
// Scenarios: each returns the autocannon requests (or a per-client setup) and `settle`, which
// polls until the worker has finished the accepted work and returns the lag.

function submitJobs() {
  const accepted = [];
  let n = 0;
  return {
    requests: [
      {
        method: 'POST',
        path: '/jobs',
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ type: 'db', payload: { load: randomUUID(), n: n++ } }),
        }),
        onResponse: (status, body) => {
          if (status === 202) accepted.push(JSON.parse(body).id);
        },
      },
    ],
    async settle({ api, token }, since) {
      const busy = async (status) =>
        (await getJson(api, token, `/jobs?status=${status}&limit=1`)).items.length > 0;
      const done = await until(
        since,
        async () => !(await busy('QUEUED')) && !(await busy('RUNNING')),
      );
      const succeeded = done ? await countAll(api, token, '/jobs?status=SUCCEEDED') : 0;
      return {
        ...done,
        what: `${succeeded}/${accepted.length} jobs SUCCEEDED`,
        // >=: requests still in flight when the load stops are accepted but not counted by autocannon.
        done: done.done && succeeded >= accepted.length,
      };
    },
  };
}

function createProjects() {
  let created = 0;
  const prefix = randomBytes(4).toString('hex');
  let n = 0;
  return {
    requests: [
      {
        method: 'POST',
        path: '/projects',
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ name: `load-${prefix}-${n++}`, description: 'load scenario' }),
        }),
        onResponse: (status) => {
          if (status === 201) created++;
        },
      },
    ],
    // Relayed and consumed: no outbox row left unsent, and the project-events queue empty (the
    // worker's consumer deletes a message once it has notified, or decided nobody needs it).
    async settle({ config, clients, aws }, since) {
      const queue = await queueUrlOf(
        clients,
        new aws.ResourceNames(config.prefix).queue('project-events'),
      );
      const outbox = await outboxReader();
      try {
        const done = await until(
          since,
          async () => (await outbox.unsent()) === 0 && (await messagesIn(clients, queue)) === 0,
        );
        return { ...done, what: `${created} projects: outbox relayed, project-events consumed` };
      } finally {
        await outbox.close();
      }
    },
  };
}

async function bookOperations({ api, token }) {
  // One account per connection: bookings on one account serialise (a concurrent one answers 409).
  const accounts = [];
  for (let i = 0; i < connections; i++) {
    const account = await postJson(api, token, '/accounts', {
      holderName: `Load ${i}`,
      email: `load-${randomBytes(4).toString('hex')}@example.test`,
      currency: 'EUR',
      notifications: { email: true, deposits: true },
    });
    accounts.push(account.id);
  }
  const booked = new Map(accounts.map((id) => [id, new Set()]));
  let nextClient = 0;
  return {
    setupClient(client) {
      const accountId = accounts[nextClient++ % accounts.length];
      client.setRequests([
        {
          method: 'POST',
          path: `/accounts/${accountId}/operations`,
          body: JSON.stringify({ type: 'deposit', amount: '12.50', reference: 'load' }),
          onResponse: (status, body) => {
            if (status === 201) booked.get(accountId).add(JSON.parse(body).eventId);
          },
        },
      ]);
    },
    // Every booked deposit's e-mail sent: its notification SENT (FAILED/SKIPPED count as settled).
    async settle(ctx, since) {
      const total = [...booked.values()].reduce((sum, ids) => sum + ids.size, 0);
      let sent = 0;
      const done = await until(since, async () => {
        let settled = 0;
        sent = 0;
        for (const [accountId, eventIds] of booked) {
          const items = await listAll(ctx.api, ctx.token, `/notifications?accountId=${accountId}`);
          for (const item of items) {
            if (!eventIds.has(item.eventId)) continue;
            if (item.status === 'SENT') sent++;
            if (item.status !== 'SENDING') settled++;
          }
        }
        return settled >= total;
      });
      return {
        ...done,
        what: `${sent}/${total} deposit e-mails SENT`,
        done: done.done && sent === total,
      };
    },
  };
}

async function uploadImages() {
  const png = await sharp({
    create: { width: 320, height: 240, channels: 3, background: '#3366aa' },
  })
    .png()
    .toBuffer();
  const ids = new Set();
  let n = 0;
  return {
    requests: [
      {
        method: 'POST',
        path: '/images',
        setupRequest: (req) => {
          const boundary = `----codecraftload${randomUUID()}`;
          const body = Buffer.concat([
            Buffer.from(
              `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="load-${n++}.png"\r\n` +
                'Content-Type: image/png\r\n\r\n',
            ),
            png,
            Buffer.from(`\r\n--${boundary}--\r\n`),
          ]);
          return {
            ...req,
            headers: {
              ...req.headers,
              'content-type': `multipart/form-data; boundary=${boundary}`,
            },
            body,
          };
        },
        onResponse: (status, body) => {
          if (status === 201) ids.add(JSON.parse(body).id);
        },
      },
    ],
    async settle({ api, token }, since) {
      let ready = 0;
      const done = await until(since, async () => {
        const items = await listAll(api, token, '/images');
        const mine = items.filter((image) => ids.has(image.id));
        ready = mine.filter((image) => image.status === 'READY').length;
        return (
          mine.filter((image) => image.status === 'READY' || image.status === 'FAILED').length >=
          ids.size
        );
      });
      return {
        ...done,
        what: `${ready}/${ids.size} images READY`,
        done: done.done && ready === ids.size,
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------

async function runLoad(api, token, plan) {
  const latencies = [];
  const instance = autocannon({
    url: api,
    connections,
    duration,
    timeout: 30,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(plan.requests ? { requests: plan.requests } : {}),
    ...(plan.setupClient ? { setupClient: plan.setupClient } : {}),
  });
  instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  const result = await instance;
  latencies.sort((a, b) => a - b);
  const pct = (p) =>
    latencies.length === 0
      ? NaN
      : latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)];
  return {
    requests: result.requests.total,
    seconds: (Date.parse(result.finish) - Date.parse(result.start)) / 1000,
    rps: result.requests.total / ((Date.parse(result.finish) - Date.parse(result.start)) / 1000),
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
    non2xx: result.non2xx,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    errors: result.non2xx + result.errors,
    statusCodes: result.statusCodeStats,
  };
}

async function until(since, check) {
  const deadline = since + LAG_TIMEOUT_MS;
  for (;;) {
    // A poll the busy API answers with an error (a 503 while moto is saturated) is just not done yet.
    const finished = await check().catch((error) => {
      log(`poll: ${error instanceof Error ? error.message.slice(0, 120) : String(error)}`);
      return false;
    });
    if (finished) return { done: true, lagMs: Date.now() - since };
    if (Date.now() > deadline) return { done: false, lagMs: Date.now() - since };
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function printTable(scenario, load, lag) {
  const codes = Object.entries(load.statusCodes ?? {})
    .map(([code, { count }]) => `${code}×${count}`)
    .join(' ');
  const ms = (v) => `${Math.round(v)} ms`;
  const rows = [
    ['scenario', scenario],
    ['load', `${connections} connections, ${load.seconds.toFixed(1)} s, 127.0.0.1`],
    ['requests', `${load.requests} (${codes || 'none'})`],
    ['throughput', `${load.rps.toFixed(1)} req/s`],
    ['latency p50 / p95 / p99', `${ms(load.p50)} / ${ms(load.p95)} / ${ms(load.p99)}`],
    [
      'errors',
      `${load.errors} (non-2xx ${load.non2xx}, socket ${load.socketErrors}, of which timeouts ${load.timeouts})`,
    ],
    [
      'worker lag',
      `${(lag.lagMs / 1000).toFixed(1)} s${lag.done ? '' : ' (NOT FINISHED: gave up)'}: ${lag.what}`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log('');
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  console.log('');
}

// ---------------------------------------------------------------------------------------------
// API and emulator helpers.

async function newToken(aws, config, clients) {
  const { poolId, clientId } = await aws.resolveUserPool(config, clients.cognito);
  const email = `load-${randomBytes(4).toString('hex')}@example.test`;
  const password = `Ll1${randomBytes(12).toString('base64url')}`;
  await aws.ensureUser(clients.cognito, poolId, { email, password, groups: [] });
  return (await aws.signIn(clients.cognito, clientId, email, password)).accessToken;
}

async function getJson(api, token, path) {
  const response = await fetch(`${api}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok)
    throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

async function postJson(api, token, path, body) {
  const response = await fetch(`${api}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** Every item of a cursor-paginated list. */
async function listAll(api, token, path) {
  const items = [];
  let cursor;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await getJson(
      api,
      token,
      `${path}${sep}limit=100${cursor ? `&cursor=${cursor}` : ''}`,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

async function countAll(api, token, path) {
  return (await listAll(api, token, path)).length;
}

async function queueUrlOf(clients, name) {
  return (await clients.sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
}

async function messagesIn(clients, queueUrl) {
  const { Attributes: a = {} } = await clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return (
    Number(a.ApproximateNumberOfMessages ?? 0) +
    Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(a.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}

/** Unsent outbox rows, read from the SQL database itself (no API exposes the outbox). */
async function outboxReader() {
  const sql = 'SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL';
  if (env.DATABASE_URL) {
    const mysql = await import('mysql2/promise');
    const connection = await mysql.createConnection(env.DATABASE_URL);
    return {
      unsent: async () => Number((await connection.query(sql))[0][0].n),
      close: () => connection.end(),
    };
  }
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(env.SQLITE_PATH, { readOnly: true });
  return {
    unsent: async () => Number(db.prepare(sql).get().n),
    close: async () => db.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// Processes.

function run(script) {
  const result = spawnSync(process.execPath, [script], { cwd: root, env, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${script} failed:\n${result.stdout}${result.stderr}`);
  }
}

function start(name, script, logDir) {
  const out = createWriteStream(join(logDir, `${runName}-${name}.log`));
  const child = spawn(process.execPath, [script], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  child.exited = new Promise((resolve) => child.once('exit', resolve));
  children.push({ name, child });
}

async function waitForReady(url) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    for (const { name, child } of children) {
      if (child.exitCode !== null)
        throw new Error(
          `${name} exited (${child.exitCode}); see .cache/load-logs/${runName}-${name}.log`,
        );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // still starting
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the API did not become ready at ${url}`);
}

async function stopAll() {
  const drainMs = Number(env.SHUTDOWN_TIMEOUT_MS ?? 25_000) + 5000;
  await Promise.all(
    children.map(async ({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), drainMs);
      await child.exited;
      clearTimeout(timer);
    }),
  );
  await moto?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}
