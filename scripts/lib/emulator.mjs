// Project-local AWS emulator: a pinned moto server in .venv, started on a free loopback port.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const MOTO_VERSION = '5.2.5';
const root = new URL('../..', import.meta.url).pathname;
export const venvDir = join(root, '.venv');
const python = join(venvDir, 'bin', 'python');

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  if (result.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${result.status})`);
}

function installedMoto() {
  if (!existsSync(python)) return undefined;
  const probe = spawnSync(
    python,
    ['-c', 'import importlib.metadata as m; print(m.version("moto"))'],
    { encoding: 'utf8' },
  );
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

/** Creates .venv with the pinned moto[server] unless it is already there. */
export function ensureMoto(log = console.log) {
  const version = installedMoto();
  if (version === MOTO_VERSION) return;
  log(`Installing moto[server]==${MOTO_VERSION} into .venv (one time)...`);
  const systemPython = process.env.PYTHON ?? 'python3';
  if (!existsSync(python)) run(systemPython, ['-m', 'venv', venvDir]);
  run(python, [
    '-m',
    'pip',
    'install',
    '--quiet',
    '--disable-pip-version-check',
    `moto[server]==${MOTO_VERSION}`,
  ]);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url, child, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/moto-api/data.json`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`moto did not answer on ${url} within ${timeoutMs} ms`);
}

/**
 * The e2e tests run against the endpoints they are given (scripts/test.mjs sets this variable for
 * them): a test that starts its own emulator instead fails here.
 */
export function refuseInsideE2e(what) {
  if (process.env.CODECRAFT_E2E_ENDPOINTS_GIVEN === '1')
    throw new Error(
      `${what}: e2e tests must use the AWS endpoints they are given (AWS_ENDPOINT_URL...), not start their own emulator`,
    );
}

/** Starts moto on 127.0.0.1:<port> (a free one by default). Returns its URL and a stop function. */
export async function startMoto({ port, quiet = true } = {}) {
  refuseInsideE2e('startMoto');
  ensureMoto();
  const chosen = port ?? (await freePort());
  // moto_server with one repair to its data.json endpoint (see moto_server.py).
  const child = spawn(
    python,
    [join(root, 'scripts', 'lib', 'moto_server.py'), '-H', '127.0.0.1', '-p', String(chosen)],
    {
      stdio: quiet ? 'ignore' : 'inherit',
      env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'false' },
      // Its own process group: a terminal's Ctrl-C reaches the script that started it, which stops
      // it last, after the apps that still need it have drained.
      detached: true,
    },
  );
  // Out of the caller's process group, so take it along if the caller exits without stop().
  const onExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', onExit);
  const url = `http://127.0.0.1:${chosen}`;
  await waitUntilUp(url, child);
  const stop = () =>
    new Promise((resolve) => {
      process.removeListener('exit', onExit);
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  return { url, port: chosen, child, stop };
}
