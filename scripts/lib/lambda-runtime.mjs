// The Lambda tier's runtime: the AWS Lambda Runtime Interface Emulator (RIE, from the Go proxy) and
// the Node runtime interface client (aws-lambda-ric, from npm, a native build), both pinned and
// installed into .cache/lambda-runtime/ on demand, never into the project's dependencies. With them
// a built handler runs as the Lambda container image runs it: RIE serves the Runtime API, the
// client polls it and calls `<LAMBDA_TASK_ROOT>/<handler>`, and tests invoke the function over
// RIE's invocation endpoint.
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { freePort } from './emulator.mjs';

export const RIE_MODULE = 'github.com/aws/aws-lambda-runtime-interface-emulator';
export const RIE_VERSION = 'v0.0.0-20261030222936-bef5c4ba774d';
export const RIC_VERSION = '3.3.0';

const root = new URL('../..', import.meta.url).pathname;
export const cacheDir = join(root, '.cache', 'lambda-runtime');
const rieBin = join(cacheDir, 'bin', 'aws-lambda-rie');
const ricDir = join(cacheDir, 'ric');
const ricPackage = join(ricDir, 'node_modules', 'aws-lambda-ric');
const ricEntry = join(ricPackage, 'bin', 'index.mjs');
const nodeBinDir = dirname(process.execPath);

/** The handler of each Lambda image (docker/Dockerfile: lambda-api and lambda-worker's CMD). */
export const HANDLERS = {
  api: 'dist/apps/api/src/lambda.handler',
  worker: 'dist/apps/worker/src/lambda.handler',
};

/** What the build of aws-lambda-ric's bundled curl and aws-lambda-cpp needs, by the command it provides. */
const BUILD_TOOLS = {
  autoconf: 'autoconf',
  automake: 'automake',
  libtool: 'libtoolize',
  cmake: 'cmake',
  'g++': 'g++',
};

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (result.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

const hasCommand = (name) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;

function installedRie() {
  if (!existsSync(rieBin)) return undefined;
  const probe = spawnSync('go', ['version', '-m', rieBin], { encoding: 'utf8' });
  if (probe.status !== 0) return undefined;
  const line = probe.stdout.split('\n').find((l) => l.trim().startsWith(`mod\t${RIE_MODULE}\t`));
  return line?.trim().split('\t')[2];
}

/** The installed client's version, if its native addon loads in this Node (same ABI). */
function installedRic() {
  let version;
  try {
    version = JSON.parse(readFileSync(join(ricPackage, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
  const addon = join(ricPackage, 'dist', 'rapid-client.node');
  // The addon reads the Runtime API's address when it loads (and aborts without one).
  const loads = spawnSync(
    process.execPath,
    ['-e', `process.dlopen({ exports: {} }, ${JSON.stringify(addon)})`],
    { env: { ...process.env, AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9' } },
  );
  return loads.status === 0 ? version : undefined;
}

function ensureBuildTools(log) {
  const missing = Object.entries(BUILD_TOOLS).flatMap(([pkg, cmd]) =>
    hasCommand(cmd) ? [] : [pkg],
  );
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    log(`aws-lambda-ric's native build needs ${missing.join(', ')}; not root, trying anyway`);
    return;
  }
  log(`Installing ${missing.join(', ')} from apt (aws-lambda-ric's native build)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = ['install', '-y', '-qq', '--no-install-recommends', ...missing];
  const first = spawnSync('apt-get', install, { stdio: 'inherit', env });
  if (first.status === 0) return;
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', install, { env });
}

/**
 * Installs the pinned RIE binary and aws-lambda-ric into .cache/lambda-runtime/ unless the right
 * versions are already there. The client's native addon is compiled against this Node's own
 * headers (npm_config_nodedir), so node-gyp downloads nothing.
 */
export function ensureLambdaRuntime(log = console.log) {
  if (installedRie() !== RIE_VERSION) {
    log(`Installing aws-lambda-rie ${RIE_VERSION} into .cache/lambda-runtime/bin (one time)...`);
    run('go', ['install', `${RIE_MODULE}/cmd/aws-lambda-rie@${RIE_VERSION}`], {
      env: { ...process.env, GOBIN: dirname(rieBin), CGO_ENABLED: '0' },
    });
  }
  if (installedRic() !== RIC_VERSION) {
    ensureBuildTools(log);
    log(`Building aws-lambda-ric@${RIC_VERSION} into .cache/lambda-runtime/ric (one time)...`);
    // A half-built or outdated copy: npm would keep it as it is and run no install script.
    rmSync(ricPackage, { recursive: true, force: true });
    mkdirSync(ricDir, { recursive: true });
    // npm 11 runs a dependency's install scripts only when allowScripts approves them: the
    // client's scripts are its native build.
    const manifest = {
      name: 'lambda-runtime-ric',
      private: true,
      allowScripts: { [`aws-lambda-ric@${RIC_VERSION}`]: true },
    };
    writeFileSync(join(ricDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const nodeDir = dirname(nodeBinDir);
    const headers = existsSync(join(nodeDir, 'include', 'node', 'node_api.h'));
    const npm = existsSync(join(nodeBinDir, 'npm')) ? join(nodeBinDir, 'npm') : 'npm';
    run(
      npm,
      [
        'install',
        '--prefix',
        ricDir,
        '--no-audit',
        '--no-fund',
        '--no-save',
        `aws-lambda-ric@${RIC_VERSION}`,
      ],
      {
        env: {
          ...process.env,
          PATH: `${nodeBinDir}:${process.env.PATH ?? ''}`,
          ...(headers ? { npm_config_nodedir: nodeDir } : {}),
        },
      },
    );
    if (installedRic() !== RIC_VERSION)
      throw new Error(`aws-lambda-ric@${RIC_VERSION} installed but its native addon does not load`);
  }
}

/**
 * A task root laid out like the image's LAMBDA_TASK_ROOT (docker/Dockerfile, lambda-base):
 * dist/, node_modules/ and package.json. dist/ and node_modules/ are symlinks to the project's
 * (so every dependency, dev included, where the image has production ones only); package.json is
 * a copy. Nothing else of the repository is there, and the function runs with it as its cwd.
 */
export function layoutImage(kind) {
  if (!(kind in HANDLERS)) throw new Error(`unknown function kind ${kind}`);
  const taskRoot = join(cacheDir, `task-${kind}`);
  mkdirSync(taskRoot, { recursive: true });
  for (const entry of ['dist', 'node_modules']) {
    const link = join(taskRoot, entry);
    rmSync(link, { force: true });
    symlinkSync(join(root, entry), link, 'dir');
  }
  copyFileSync(join(root, 'package.json'), join(taskRoot, 'package.json'));
  return taskRoot;
}

async function waitForPort(port, child, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`aws-lambda-rie exited with ${child.exitCode}`);
    const open = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`aws-lambda-rie did not listen on ${port} within ${timeoutMs} ms`);
}

const OUTPUT_LIMIT = 4 * 1024 * 1024;

/**
 * Runs one function under RIE: `aws-lambda-rie <node> <aws-lambda-ric> <handler>` in its task
 * root, with the environment the Lambda image and platform give it plus `env` (the function's
 * configuration). RIE's own log is at info level: its `INIT REPORT` line carries the real init
 * duration (the `Init Duration` of its REPORT lines does not).
 */
export async function startFunction({
  kind,
  env = {},
  port,
  memoryMb = 1024,
  timeoutSeconds = 60,
}) {
  if (!existsSync(rieBin) || !existsSync(ricEntry))
    throw new Error('the Lambda runtime is not installed: run ensureLambdaRuntime() first');
  const taskRoot = layoutImage(kind);
  const handler = HANDLERS[kind];
  const chosen = port ?? (await freePort());
  const runtimeApi = `127.0.0.1:${await freePort()}`;
  const functionName = `codecraft-${kind}`;
  const region = env.AWS_REGION ?? process.env.AWS_REGION ?? 'us-east-1';
  const functionEnv = {
    // The image (public.ecr.aws/lambda/nodejs:24 and our lambda-base stage).
    PATH: `${nodeBinDir}:/usr/local/bin:/usr/bin:/bin`,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    LAMBDA_TASK_ROOT: taskRoot,
    LAMBDA_RUNTIME_DIR: ricPackage,
    NODE_ENV: 'production',
    MALLOC_ARENA_MAX: '2',
    // The platform (the function's configuration and its role's credentials).
    _HANDLER: handler,
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
    AWS_LAMBDA_FUNCTION_TIMEOUT: String(timeoutSeconds),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/01/01/[$LATEST]0123456789abcdef',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'test',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'test',
    AWS_SESSION_TOKEN: process.env.AWS_SESSION_TOKEN ?? 'test',
    ...Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)),
  };
  const child = spawn(
    rieBin,
    [
      '--log-level',
      'info',
      '--runtime-interface-emulator-address',
      `127.0.0.1:${chosen}`,
      '--runtime-api-address',
      runtimeApi,
      process.execPath,
      ricEntry,
      handler,
    ],
    // RIE starts the runtime in its own cwd, as Lambda starts it in LAMBDA_TASK_ROOT. Its own
    // process group, so that stop() takes the runtime along.
    { cwd: taskRoot, env: functionEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  const collect = (chunk) => {
    output += chunk.toString();
    if (output.length > OUTPUT_LIMIT) output = output.slice(-OUTPUT_LIMIT);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);
  try {
    await waitForPort(chosen, child);
  } catch (error) {
    onExit();
    throw new Error(`${error.message}\n${output}`, { cause: error });
  }
  const url = `http://127.0.0.1:${chosen}/2015-03-31/functions/function/invocations`;
  return {
    url,
    /** RIE answers a function error with HTTP 200 and `{errorType, errorMessage}` as the body. */
    async invoke(event) {
      const response = await fetch(url, {
        method: 'POST',
        body: JSON.stringify(event),
        signal: AbortSignal.timeout((timeoutSeconds + 30) * 1000),
      });
      const raw = await response.text();
      let body;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
      return { statusCode: response.status, body, raw };
    },
    output: () => output,
    /** The init phase's duration from RIE's `INIT REPORT` line, once the first invoke ran. */
    initDurationMs() {
      const match = /INIT REPORT\(durationMs: ([\d.]+)\)/.exec(output);
      return match ? Number(match[1]) : undefined;
    },
    stop: () =>
      new Promise((resolve) => {
        process.removeListener('exit', onExit);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        killGroup('SIGTERM');
        setTimeout(() => killGroup('SIGKILL'), 3000).unref();
      }),
  };
}
