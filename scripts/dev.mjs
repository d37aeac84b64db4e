// npm run dev: the whole system on a laptop with no Docker.
//   moto (project-local .venv, pinned) → bootstrap → migrations → tsc --watch → API + worker (node --watch)
// AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_<SERVICE>) set: use those emulators instead of moto.
// DATABASE_URL set: MySQL instead of SQLite.
// A consistent world on every start: moto keeps its data in memory, so when the dev kit starts moto
// it also starts a fresh SQLite file; with emulators of your own, both are kept.
// Ctrl-C: the children run in their own process group, so only this script gets the terminal's
// SIGINT; it sends each child one SIGTERM (the worker drains its batch) and exits once all have.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort, startMoto } from './lib/emulator.mjs';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const children = [];
let moto;
let stopping = false;

function log(message) {
  console.log(`\x1b[36m[dev]\x1b[0m ${message}`);
}

const drainMs = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 25_000);

async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  log('stopping...');
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', resolve);
          child.kill('SIGTERM');
          // Past the apps' own drain deadline, end the child's whole process group.
          setTimeout(() => {
            try {
              process.kill(-child.pid, 'SIGKILL');
            } catch {
              // already gone
            }
          }, drainMs + 5000).unref();
        }),
    ),
  );
  await moto?.stop();
  log('all processes stopped');
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void stopAll(0));

if (!existsSync(bin('tsc'))) {
  console.error('Dependencies are missing: run `npm install` first.');
  process.exit(1);
}

const env = {
  ...process.env,
  NODE_ENV: process.env.NODE_ENV ?? 'development',
  // As in the containers (docker/Dockerfile): fewer glibc arenas, less sharp fragmentation.
  MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
};

const givenEndpoints = Object.keys(env).filter(
  (k) => /^AWS_ENDPOINT_URL(_\w+)?$/.test(k) && env[k],
);
if (givenEndpoints.length === 0) {
  const wanted = Number(process.env.EMULATOR_PORT ?? 4566);
  const port = (await isFree(wanted)) ? wanted : await freePort();
  log(`starting moto on 127.0.0.1:${port}`);
  moto = await startMoto({ port });
  env.AWS_ENDPOINT_URL = moto.url;
  if (!env.DATABASE_URL && !env.DB_SECRET_ID) {
    const file = resolve(root, env.SQLITE_PATH ?? 'data/codecraft.sqlite');
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    log('fresh emulator, fresh SQLite file');
  }
} else {
  log(`using ${givenEndpoints.map((k) => `${k}=${env[k]}`).join(' ')}`);
}
const endpointEnv = Object.keys(env)
  .filter((k) => /^AWS_ENDPOINT_URL(_\w+)?$/.test(k) && env[k])
  .map((k) => `${k}=${env[k]}`)
  .join(' ');

log('compiling');
run(bin('tsc'), ['-p', 'tsconfig.build.json']);
log('bootstrapping AWS resources');
run(process.execPath, ['dist/scripts/bootstrap.js']);
log(
  `migrating ${env.DATABASE_URL ? 'MySQL' : `SQLite (${env.SQLITE_PATH ?? 'data/codecraft.sqlite'})`}`,
);
run(process.execPath, ['dist/scripts/migrate.js']);

start('tsc', bin('tsc'), ['-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput']);
start('api', process.execPath, ['--watch', 'dist/apps/api/src/main.js']);
start('worker', process.execPath, ['--watch', 'dist/apps/worker/src/main.js']);

const port = env.PORT ?? '3000';
await waitForApi(`http://127.0.0.1:${port}/health/ready`);
console.log(`
  CodeCraft is running
    API          http://localhost:${port}
    Swagger UI   http://localhost:${port}/docs
    Emulator     ${env.AWS_ENDPOINT_URL}
    Token        ${endpointEnv} npm run token
    Try          curl -H "Authorization: Bearer $(${endpointEnv} npm run -s token)" http://localhost:${port}/me
  Ctrl-C stops everything.
`);

function run(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${[cmd, ...args].join(' ')} failed`);
    void stopAll(1);
    throw new Error('dev setup failed');
  }
}

function start(name, cmd, args) {
  // detached: a process group of its own, out of reach of the terminal's Ctrl-C (see the top).
  const child = spawn(cmd, args, {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const prefix = `\x1b[35m[${name}]\x1b[0m `;
  const pipe = (stream, out) => {
    let buffer = '';
    stream.on('data', (chunk) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) out.write(`${prefix}${line}\n`);
    });
  };
  pipe(child.stdout, process.stdout);
  pipe(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (!stopping) log(`${name} exited (${signal ?? code})`);
  });
  children.push(child);
}

async function waitForApi(url) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (!stopping) log(`the API did not become ready at ${url} (see the logs above)`);
}

async function isFree(port) {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
