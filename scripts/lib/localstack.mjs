// Project-local LocalStack without Docker: the pinned localstack-core in .venv-localstack, run as
// a plain process (host mode) on a free loopback port with a throw-away filesystem root.
// See localstack/HOST-MODE.md for what works in this mode and why each setting is here.
import { spawn, spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, refuseInsideE2e } from './emulator.mjs';

export const LOCALSTACK_VERSION = '4.14.0';
/**
 * The top-level requirements, exactly as measured to work: the pinned release, and caps on two
 * dependencies whose newer majors it does not run with (cbor2 6, pyOpenSSL 26); service_identity
 * lets twisted verify TLS hosts.
 */
export const LOCALSTACK_REQUIREMENTS = [
  `localstack-core[runtime]==${LOCALSTACK_VERSION}`,
  'cbor2<6',
  'pyopenssl<26',
  'service_identity',
];
export const DEFAULT_LOCALSTACK_SERVICES = [
  's3',
  'sqs',
  'events',
  'ses',
  'secretsmanager',
  'sts',
  'cloudwatch',
];

const root = new URL('../..', import.meta.url).pathname;
export const localstackVenvDir = join(root, '.venv-localstack');
const python = join(localstackVenvDir, 'bin', 'python');
// Written after a successful install: a changed requirement list reinstalls.
const stampFile = join(localstackVenvDir, '.codecraft-requirements');
const MIN_MINOR = 12; // localstack-core 4.14 uses `class X[T]` syntax (Python 3.12+)

/** Returns "3.13.0" when `cmd` runs a Python >= 3.12, else undefined (missing, pyenv shim, too old). */
function pythonVersion(cmd) {
  const probe = spawnSync(cmd, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  if (probe.status !== 0) return undefined;
  const version = probe.stdout.trim();
  const [major, minor] = version.split('.').map(Number);
  return major === 3 && minor >= MIN_MINOR ? version : undefined;
}

function pyenvCandidates() {
  const roots = [process.env.PYENV_ROOT, join(homedir(), '.pyenv')].filter(Boolean);
  const found = [];
  for (const pyenvRoot of new Set(roots)) {
    const versionsDir = join(pyenvRoot, 'versions');
    if (!existsSync(versionsDir)) continue;
    for (const name of readdirSync(versionsDir)) {
      // 3.12.x ... 3.19.x; not free-threaded (3.13.0t) builds, which many wheels lack.
      if (!/^3\.1[2-9]\b/.test(name) || name.endsWith('t')) continue;
      found.push({ name, cmd: join(versionsDir, name, 'bin', 'python3') });
    }
  }
  // The tested minors first (3.13, then 3.12), then newer ones; the latest patch first in each.
  const key = (name) => {
    const [, minor = 0, patch = 0] = name.split(/[.-]/).map((part) => Number(part) || 0);
    return [minor === 13 ? 0 : minor === 12 ? 1 : 2, -minor, -patch];
  };
  found.sort((a, b) => {
    const [x, y] = [key(a.name), key(b.name)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
  return found.map((entry) => entry.cmd);
}

/** The Python to build the venv with: LOCALSTACK_PYTHON, python3.13/3.12 on PATH, pyenv, python3. */
export function findLocalStackPython() {
  const forced = process.env.LOCALSTACK_PYTHON;
  if (forced) {
    if (pythonVersion(forced)) return forced;
    throw new Error(
      `LOCALSTACK_PYTHON=${forced} is not a runnable Python >= 3.${MIN_MINOR} (LocalStack ${LOCALSTACK_VERSION} needs one)`,
    );
  }
  // On PATH, python3.13 may be a pyenv shim that fails when 3.13 is not selected: probing skips it.
  const candidates = ['python3.13', 'python3.12', ...pyenvCandidates(), 'python3'];
  for (const cmd of candidates) if (pythonVersion(cmd)) return cmd;
  throw new Error(
    `LocalStack ${LOCALSTACK_VERSION} needs Python >= 3.${MIN_MINOR} and none was found ` +
      `(tried ${candidates.join(', ')}). Install one, e.g. \`apt-get install python3.13 python3.13-venv\` ` +
      'or `pyenv install 3.13`, or point LOCALSTACK_PYTHON at its executable.',
  );
}

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  if (result.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

const stamp = LOCALSTACK_REQUIREMENTS.join('\n');

function installedLocalStack() {
  if (!existsSync(python) || !existsSync(stampFile)) return undefined;
  if (readFileSync(stampFile, 'utf8') !== stamp) return undefined;
  const probe = spawnSync(
    python,
    ['-c', 'import importlib.metadata as m; print(m.version("localstack-core"))'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

/** Creates .venv-localstack with the pinned localstack-core unless it is already there. */
export function ensureLocalStack(log = console.log) {
  if (installedLocalStack() === LOCALSTACK_VERSION) return;
  const base = findLocalStackPython();
  log(
    `Installing localstack-core==${LOCALSTACK_VERSION} into .venv-localstack with ${base} (one time, about a minute)...`,
  );
  // A venv from an older Python or a half-finished install is rebuilt from scratch.
  if (existsSync(localstackVenvDir) && !pythonVersion(python))
    rmSync(localstackVenvDir, { recursive: true, force: true });
  if (!existsSync(python)) run(base, ['-m', 'venv', localstackVenvDir]);
  rmSync(stampFile, { force: true });
  run(python, [
    '-m',
    'pip',
    'install',
    '--quiet',
    '--disable-pip-version-check',
    '--no-input',
    ...LOCALSTACK_REQUIREMENTS,
  ]);
  writeFileSync(stampFile, stamp);
  if (installedLocalStack() !== LOCALSTACK_VERSION)
    throw new Error(
      `localstack-core ${LOCALSTACK_VERSION} is not importable from ${python} after install`,
    );
}

/** Whether this machine can listen on `host` (an IPv4-mapped IPv6 address needs an IPv6 stack). */
function canListen(host) {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(0, host, () => server.close(() => resolve(true)));
  });
}

/**
 * How LocalStack listens on loopback only. Its default server (twisted) ignores the IPv4 host of
 * GATEWAY_LISTEN and binds 0.0.0.0, but honours an IPv6 one: the IPv4-mapped loopback address
 * serves 127.0.0.1 and nothing else. Without IPv6, hypercorn binds 127.0.0.1 as asked.
 */
async function gatewayConfig(port) {
  if (await canListen('::ffff:127.0.0.1'))
    return { GATEWAY_SERVER: 'twisted', GATEWAY_LISTEN: `[::ffff:127.0.0.1]:${port}` };
  return { GATEWAY_SERVER: 'hypercorn', GATEWAY_LISTEN: `127.0.0.1:${port}` };
}

/**
 * Environment of the LocalStack process: host mode on one loopback port, nothing fetched from the
 * internet at start-up, nothing read from or written to the user's home (no ~/.aws, no caches), and
 * none of the caller's variables that LocalStack or Python would also read (DEBUG, SERVICES,
 * PYTHONPATH, AWS_*...): only `extra` adds to it.
 */
function localstackEnv({ port, services, filesystemRoot, eager, gateway, extra }) {
  const keep = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'SSL_CERT_FILE', 'SSL_CERT_DIR'];
  return {
    ...Object.fromEntries(keep.filter((k) => process.env[k]).map((k) => [k, process.env[k]])),
    HOME: filesystemRoot,
    PYTHONUNBUFFERED: '1',
    // Host mode (not the Docker image's layout), where it listens and which URLs it hands out.
    OVERRIDE_IN_DOCKER: '0',
    ...gateway,
    LOCALSTACK_HOST: `127.0.0.1:${port}`,
    FILESYSTEM_ROOT: filesystemRoot,
    SERVICES: services.join(','),
    EAGER_SERVICE_LOADING: eager ? '1' : '0',
    PERSISTENCE: '0',
    // Queue URLs as http://127.0.0.1:<port>/queue/<region>/<account>/<name>: no DNS involved.
    SQS_ENDPOINT_STRATEGY: 'path',
    // Offline: no analytics events, no TLS certificate download (a self-signed one is made
    // locally), no DNS server (it binds port 53 and probes public resolvers such as 8.8.8.8).
    DISABLE_EVENTS: '1',
    SKIP_SSL_CERT_DOWNLOAD: '1',
    DNS_ADDRESS: '0',
    ...extra,
  };
}

// Runs LocalStack's own entry point, plus: it dies with the Node process that started it (Linux
// parent-death signal; the orphan removes its filesystem root), and once LocalStack has shut down it
// exits at once instead of spending seconds in the interpreter's final garbage collection.
const RUNNER = `
import os, signal, sys
parent = int(sys.argv[1])
try:
    import ctypes
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
except (OSError, AttributeError):
    pass
if os.getppid() != parent:
    sys.exit("LocalStack: the process that started it is gone")
from localstack.runtime.main import main
code = 1
try:
    main()
    code = 0
except SystemExit as done:
    code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
finally:
    sys.stdout.flush()
    sys.stderr.flush()
    if os.getppid() != parent:
        import shutil
        shutil.rmtree(os.environ["FILESYSTEM_ROOT"], ignore_errors=True)
os._exit(code)
`;

const LOG_TAIL_CHARS = 8000;
const UP = new Set(['available', 'running']);

async function waitUntilHealthy(url, child, services, logTail, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `LocalStack exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${logTail()}`,
      );
    // It logs a port it cannot bind and carries on ("Ready."), unreachable: fail at once.
    if (/CannotListenError|Address already in use/.test(logTail()))
      throw new Error(`LocalStack could not listen on ${url}:\n${logTail()}`);
    try {
      const res = await fetch(`${url}/_localstack/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) {
        const states = (await res.json()).services ?? {};
        const down = services.filter((name) => !UP.has(states[name]));
        if (down.length === 0) return;
        last = down.map((name) => `${name}=${states[name] ?? 'missing'}`).join(', ');
      }
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `LocalStack on ${url} not healthy within ${timeoutMs} ms (${last}):\n${logTail()}`,
  );
}

/**
 * Starts LocalStack on 127.0.0.1:<port> (a free one by default) with the given services and a fresh
 * temporary FILESYSTEM_ROOT (removed on stop), and waits until /_localstack/health shows each of
 * them available or running. `eager` (default) loads every service before returning, so the first
 * request to each is fast; without it LocalStack is healthy sooner but loads a service on its first
 * request (S3: about 4 s). Output goes to `logFile` when given, to stderr unless `quiet`, and its
 * last lines into the error when LocalStack fails to start.
 */
export async function startLocalStack({
  port,
  services = DEFAULT_LOCALSTACK_SERVICES,
  quiet = true,
  logFile,
  eager = true,
  timeoutMs = 60_000,
  env = {},
} = {}) {
  refuseInsideE2e('startLocalStack');
  ensureLocalStack();
  const chosen = port ?? (await freePort());
  const gateway = await gatewayConfig(chosen);
  const filesystemRoot = mkdtempSync(join(tmpdir(), 'codecraft-localstack-'));
  const child = spawn(python, ['-c', RUNNER, String(process.pid)], {
    cwd: filesystemRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: localstackEnv({ port: chosen, services, filesystemRoot, eager, gateway, extra: env }),
  });
  const file = logFile ? createWriteStream(logFile) : undefined;
  let tail = '';
  const onOutput = (chunk) => {
    tail = (tail + chunk.toString()).slice(-LOG_TAIL_CHARS);
    file?.write(chunk);
    if (!quiet) process.stderr.write(chunk);
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);

  const exited = new Promise((resolve) => child.once('close', resolve));
  const running = () => child.exitCode === null && child.signalCode === null;
  const cleanUp = () => rmSync(filesystemRoot, { recursive: true, force: true });
  // A Node process that exits without stop() takes LocalStack and its files along (one killed by a
  // signal runs no handler: the parent-death signal in RUNNER covers that).
  const onExit = () => {
    if (running()) child.kill('SIGKILL');
    cleanUp();
  };
  process.once('exit', onExit);

  let stopping;
  const stop = () =>
    (stopping ??= (async () => {
      if (running()) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      } else await exited;
      process.removeListener('exit', onExit);
      await new Promise((resolve) => (file ? file.end(resolve) : resolve()));
      cleanUp();
    })());

  const url = `http://127.0.0.1:${chosen}`;
  try {
    await waitUntilHealthy(url, child, services, () => tail, timeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port: chosen, child, stop };
}
