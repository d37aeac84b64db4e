// npm run dev: the whole system on a laptop with no Docker.
//   moto (project-local .venv, pinned) → bootstrap → migrations → tsc --watch → API + worker (node --watch)
// AWS_ENDPOINT_URL set: use that emulator (LocalStack...) instead of moto. DATABASE_URL set: MySQL instead of SQLite.
// Ctrl-C stops every child process.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startMoto } from './lib/emulator.mjs';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const children = [];
let moto;
let stopping = false;

function log(message) {
  console.log(`\x1b[36m[dev]\x1b[0m ${message}`);
}

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
          setTimeout(() => child.kill('SIGKILL'), 8000).unref();
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

if (!env.AWS_ENDPOINT_URL) {
  const wanted = Number(process.env.EMULATOR_PORT ?? 4566);
  const port = (await isFree(wanted)) ? wanted : await freePort();
  log(`starting moto on 127.0.0.1:${port}`);
  moto = await startMoto({ port });
  env.AWS_ENDPOINT_URL = moto.url;
} else {
  log(`using the emulator at ${env.AWS_ENDPOINT_URL}`);
}

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
    Token        AWS_ENDPOINT_URL=${env.AWS_ENDPOINT_URL} npm run token
    Try          curl -H "Authorization: Bearer $(AWS_ENDPOINT_URL=${env.AWS_ENDPOINT_URL} npm run -s token)" http://localhost:${port}/me
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
  const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
