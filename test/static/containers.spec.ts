/**
 * Static checks of the container setup, with the tools that would run it: docker/Dockerfile
 * parsed by BuildKit's own parser, the compose files loaded and merged by the Compose
 * specification's own loader (both through tools/container-check), and hadolint. No Docker engine
 * is needed. Every check is a function that lists problems, so that the same code is proved, at
 * the end of this file, to reject deliberately broken copies.
 *
 * The tools are built on demand by scripts/ensure-container-tools.sh (into .cache/; seconds when
 * cached). Without Go or Python 3 the tests skip with the reason, except under CI=true, where
 * they fail.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MOTO_VERSION } from '#emulator';
import type { AwsService } from '#libs/config';

/** dist/test/static/ -> the repository root. */
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');
const readRepoFile = (path: string): string => readFileSync(join(repoRoot, path), 'utf8');
const repoFileExists = (path: string): boolean => existsSync(join(repoRoot, path));
const dockerfilePath = 'docker/Dockerfile';
const composeFile = 'docker-compose.yml';
const motoOverrideFile = 'docker-compose.moto.yml';

const scratch = mkdtempSync(join(tmpdir(), 'codecraft-containers-'));
after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// The tools

interface Tools {
  readonly containerCheck: string;
  readonly hadolint: string;
}

const toolsSetUp = ((): { tools?: Tools; skip?: string; error?: string } => {
  const ensure = spawnSync('bash', [join(repoRoot, 'scripts/ensure-container-tools.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = `${ensure.stderr}${ensure.error?.message ?? ''}`.trim();
  if (ensure.status === 0) {
    const [containerCheck = '', hadolint = ''] = ensure.stdout.trim().split('\n');
    if (log !== '') process.stderr.write(`${log}\n`);
    return { tools: { containerCheck, hadolint } };
  }
  const missing = ensure.status === 3 || ensure.error !== undefined;
  if (missing && process.env.CI !== 'true')
    return { skip: `container tools unavailable (CI=true makes this a failure): ${log}` };
  return {
    error: `scripts/ensure-container-tools.sh failed (exit ${String(ensure.status)}): ${log}`,
  };
})();
const needsTools = { skip: toolsSetUp.skip ?? false };

function tools(): Tools {
  assert.ok(toolsSetUp.tools, toolsSetUp.error);
  return toolsSetUp.tools;
}

/** The tools see no variable of the caller's shell and no .env: the files alone decide. */
const toolEnv = { PATH: process.env.PATH ?? '', HOME: scratch, COMPOSE_DISABLE_ENV_FILE: 'true' };

interface ToolRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(program: string, args: readonly string[], input?: string): ToolRun {
  const result = spawnSync(program, args, {
    cwd: repoRoot,
    env: toolEnv,
    encoding: 'utf8',
    input,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** What a tool understood (`model`), or why it rejected the input. */
type Outcome<T> =
  { readonly ok: true; readonly model: T } | { readonly ok: false; readonly error: string };

/**
 * Runs container-check. Its JSON is typed by the caller: the shapes below mirror the Go structs
 * in tools/container-check and compose-go's model.
 */
function containerCheck(args: readonly string[], input?: string): Outcome<unknown> {
  const result = run(tools().containerCheck, args, input);
  if (result.status !== 0) return { ok: false, error: result.stderr.trim() };
  return { ok: true, model: JSON.parse(result.stdout) };
}

function loaded<T>(outcome: Outcome<T>): T {
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
  return outcome.model;
}

/** Writes a file under the scratch directory and returns its path. */
function scratchFile(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

/** `text` with `from` replaced; fails if `from` is not there (the broken copy would be a copy). */
function replaced(text: string, from: string | RegExp, to: string): string {
  const result = text.replace(from, to);
  assert.notEqual(result, text, `the text to replace (${String(from)}) is not in the file`);
  return result;
}

/** Simple commands as container-check prints them: leading assignments, then argv as written. */
type ShellCommand = readonly string[];

const isAssignment = (word: string): boolean => /^[A-Za-z_]\w*=/.test(word);
/** A command's argv without its leading `VAR=value` words. */
function argvOf(command: ShellCommand): readonly string[] {
  const first = command.findIndex((word) => !isAssignment(word));
  return first === -1 ? [] : command.slice(first);
}
/** A word without its shell quotes: `"${cpu}"` -> `${cpu}`. */
const unquoted = (word: string): string => word.replace(/["']/g, '');
const startsWith = (argv: readonly string[], prefix: readonly string[]): boolean =>
  prefix.every((word, i) => argv[i] !== undefined && unquoted(argv[i]) === word);

function shellCommands(script: string, bash = false): ShellCommand[] {
  return loaded(
    containerCheck(['shell', ...(bash ? ['--bash'] : []), '-'], script),
  ) as ShellCommand[];
}

/** Collects the problems a check finds. */
function problems(check: (fail: (message: string) => void) => void): string[] {
  const found: string[] = [];
  check((message) => found.push(message));
  return found;
}

// ---------------------------------------------------------------------------------------------
// docker/Dockerfile, as BuildKit reads it

interface DockerInstruction {
  readonly keyword: string;
  readonly line: number;
  readonly source: string;
  readonly shellForm?: boolean;
  readonly args?: readonly string[];
  readonly commands?: readonly ShellCommand[];
  readonly mounts?: readonly { readonly type: string; readonly target?: string }[];
  readonly env?: readonly { readonly key: string; readonly value: string | null }[];
  readonly from?: string;
  readonly sources?: readonly string[];
  readonly dest?: string;
  readonly user?: string;
  readonly ports?: readonly string[];
  readonly healthcheck?: { readonly test: readonly string[] };
}

interface DockerStage {
  readonly name: string;
  readonly base: string;
  readonly platform?: string;
  readonly instructions: readonly DockerInstruction[];
}

interface DockerfileModel {
  readonly parserWarnings: readonly string[];
  readonly lint: readonly {
    readonly rule: string;
    readonly message: string;
    readonly line: number;
  }[];
  readonly stages: readonly DockerStage[];
}

class Dockerfile {
  constructor(readonly model: DockerfileModel) {}

  stage(name: string): DockerStage | undefined {
    return this.model.stages.find((stage) => stage.name === name);
  }

  /** The stage and every stage it builds on, nearest first. */
  lineage(name: string): DockerStage[] {
    const chain: DockerStage[] = [];
    for (
      let next = this.stage(name);
      next && chain.length <= this.model.stages.length;
      next = this.stage(next.base)
    ) {
      chain.push(next);
    }
    return chain;
  }

  /** The external image a stage ultimately starts from. */
  baseImage(name: string): string | undefined {
    return this.lineage(name).at(-1)?.base;
  }

  /** Instructions of one keyword that apply to a stage, inherited ones first. */
  effective(name: string, keyword: string): DockerInstruction[] {
    return this.lineage(name)
      .reverse()
      .flatMap((stage) => stage.instructions)
      .filter((instruction) => instruction.keyword === keyword);
  }

  /** The value of a (possibly inherited) ENV variable. */
  env(name: string, key: string): string | undefined {
    const pairs = this.effective(name, 'ENV').flatMap((instruction) => instruction.env ?? []);
    return pairs.filter((pair) => pair.key === key).at(-1)?.value ?? undefined;
  }

  /** Every simple command the RUN instructions of this very stage execute. */
  runs(name: string): readonly ShellCommand[] {
    return (this.stage(name)?.instructions ?? [])
      .filter((instruction) => instruction.keyword === 'RUN')
      .flatMap((instruction) => instruction.commands ?? []);
  }

  /** The CMD that applies to a stage. */
  cmd(name: string): DockerInstruction | undefined {
    return this.effective(name, 'CMD').at(-1);
  }

  /** The probe of the HEALTHCHECK that applies to a stage (["CMD", ...]), undefined if none. */
  healthcheck(name: string): readonly string[] | undefined {
    const test = this.effective(name, 'HEALTHCHECK').at(-1)?.healthcheck?.test;
    return test?.[0] === 'NONE' ? undefined : test;
  }

  /** Does the stage copy `source` from stage `from` (directly or by inheritance)? */
  copies(name: string, from: string, source: string): boolean {
    return this.effective(name, 'COPY').some(
      (copy) => copy.from === from && (copy.sources ?? []).includes(source),
    );
  }
}

function parseDockerfile(path: string): Outcome<Dockerfile> {
  const outcome = containerCheck(['dockerfile', path]);
  return outcome.ok
    ? { ok: true, model: new Dockerfile(outcome.model as DockerfileModel) }
    : outcome;
}

/** `dist/apps/api/src/main.js` -> `apps/api/src/main.ts`: the source tsc compiles it from. */
function sourceOf(compiledPath: string): string | undefined {
  return /^dist\/.+\.js$/.test(compiledPath)
    ? compiledPath.replace(/^dist\//, '').replace(/\.js$/, '.ts')
    : undefined;
}

const longRunningTargets = ['api', 'worker'] as const;
const lambdaTargets = ['lambda-api', 'lambda-worker'] as const;
const deliverables = [...longRunningTargets, ...lambdaTargets];

type Check<M> = (model: M) => string[];

const dockerfileChecks: Record<string, Check<Dockerfile>> = {
  'BuildKit reads it without a warning': (df) =>
    problems((fail) => {
      for (const warning of df.model.parserWarnings) fail(`parser: ${warning}`);
      for (const { rule, message, line } of df.model.lint)
        fail(`line ${line}: ${rule}: ${message}`);
    }),

  'it builds the four deliverables and the stages they need': (df) =>
    problems((fail) => {
      for (const name of ['deps', 'build', 'prod-deps', ...deliverables])
        if (!df.stage(name)) fail(`no stage "${name}"`);
    }),

  'the build stage compiles with npm run build, and every image ships its dist/': (df) =>
    problems((fail) => {
      const build = df.stage('build');
      if (!build) {
        fail('no build stage');
        return;
      }
      if (!df.effective('build', 'COPY').some((copy) => copy.sources?.includes('.')))
        fail('the build stage does not copy the sources (COPY . .)');
      if (!df.runs('build').some((command) => startsWith(argvOf(command), ['npm', 'run', 'build'])))
        fail('no RUN of the build stage executes `npm run build`');
      for (const target of deliverables)
        if (!df.copies(target, 'build', '/app/dist'))
          fail(`${target} does not COPY --from=build /app/dist`);
    }),

  'images start from Node 24 (slim) and the Lambda Node.js 24 base': (df) =>
    problems((fail) => {
      const expect = (target: string, pattern: RegExp): void => {
        const base = df.baseImage(target) ?? '(none)';
        if (!pattern.test(base)) fail(`${target} starts from ${base}, expected ${String(pattern)}`);
      };
      for (const target of longRunningTargets) expect(target, /^node:24[.-]\S*slim$/);
      for (const target of lambdaTargets) expect(target, /^public\.ecr\.aws\/lambda\/nodejs:24$/);
      for (const target of ['deps', 'prod-deps']) expect(target, /^node:24[.-]\S*$/);
    }),

  'api and worker run as a non-root user, in production mode': (df) =>
    problems((fail) => {
      for (const target of longRunningTargets) {
        const user = df.effective(target, 'USER').at(-1)?.user ?? '';
        if (user === '') fail(`${target} never switches USER, so it runs as root`);
        else if (/^(?:root|0)$/.test(user.split(':')[0] ?? '')) fail(`${target} runs as ${user}`);
        const nodeEnv = df.env(target, 'NODE_ENV');
        if (nodeEnv !== 'production') fail(`${target} NODE_ENV is ${String(nodeEnv)}`);
      }
    }),

  'every runtime image caps glibc malloc arenas (MALLOC_ARENA_MAX=2)': (df) =>
    problems((fail) => {
      // Read by glibc at process start, so it must be in the image's environment.
      for (const target of deliverables) {
        const value = df.env(target, 'MALLOC_ARENA_MAX');
        if (value !== '2') fail(`${target} MALLOC_ARENA_MAX is ${String(value)}`);
      }
    }),

  'api and worker declare container healthchecks that need no curl': (df) =>
    problems((fail) => {
      const api = df.healthcheck('api') ?? [];
      if (api[0] !== 'CMD' || api[1] !== 'node')
        fail(`api HEALTHCHECK is not a node exec probe: ${api.join(' ')}`);
      if (!/fetch\(.*127\.0\.0\.1:.*\/health\/live/.test(api.join(' ')))
        fail('api HEALTHCHECK does not fetch /health/live on 127.0.0.1');
      if (!df.effective('api', 'EXPOSE').some((expose) => expose.ports?.includes('3000')))
        fail('api does not EXPOSE 3000');

      const worker = df.healthcheck('worker') ?? [];
      if (worker[0] !== 'CMD' || worker[1] !== 'node')
        fail(`worker HEALTHCHECK is not a node exec probe: ${worker.join(' ')}`);
      if (!worker.join(' ').includes('statSync(process.env.WORKER_HEARTBEAT_FILE)'))
        fail('worker HEALTHCHECK does not read the heartbeat file');
      if (!/60_?000/.test(worker.join(' '))) fail('worker heartbeat does not go stale after 60 s');
      if (df.env('worker', 'WORKER_HEARTBEAT_FILE') !== '/tmp/codecraft-worker.heartbeat')
        fail('worker WORKER_HEARTBEAT_FILE');
    }),

  'sharp gets its native binary for the target architecture (x64 or arm64)': (df) =>
    problems((fail) => {
      const stage = df.stage('prod-deps');
      if (!stage) {
        fail('no prod-deps stage');
        return;
      }
      if (
        !stage.instructions.some(
          (i) => i.keyword === 'ARG' && i.env?.some((a) => a.key === 'TARGETARCH'),
        )
      )
        fail('prod-deps does not declare ARG TARGETARCH');
      const commands = df.runs('prod-deps');
      const assignments = new Set(
        commands.flatMap((command) => command.filter(isAssignment).map(unquoted)),
      );
      const install = commands.map(argvOf).find((argv) => startsWith(argv, ['npm', 'ci']));
      if (!install) {
        fail('prod-deps runs no npm ci');
        return;
      }
      const flags = install.map(unquoted);
      for (const flag of ['--omit=dev', '--os=linux', '--libc=glibc'])
        if (!flags.includes(flag)) fail(`npm ci lacks ${flag}`);
      // buildx says amd64 where npm says x64: npm silently skips sharp for an unknown --cpu.
      const cpu = /^--cpu=\$\{?(\w+)\}?$/.exec(
        flags.find((flag) => flag.startsWith('--cpu=')) ?? '',
      )?.[1];
      if (cpu === undefined) {
        fail('npm ci has no --cpu=$variable');
        return;
      }
      for (const arch of ['x64', 'arm64'])
        if (!assignments.has(`${cpu}=${arch}`)) fail(`prod-deps never sets ${cpu}=${arch}`);
      // ... and the build fails, rather than ship an image without its binary.
      for (const pkg of ['sharp', 'sharp-libvips']) {
        const file = `node_modules/@img/${pkg}-linux-\${${cpu}}/package.json`;
        if (!commands.some((command) => startsWith(argvOf(command), ['test', '-f', file])))
          fail(`prod-deps does not check ${file}`);
      }
      for (const target of deliverables)
        if (!df.copies(target, 'prod-deps', '/app/node_modules'))
          fail(`${target} does not take node_modules from prod-deps`);
    }),

  'long-running images start existing main.ts entry points (exec form)': (df) =>
    problems((fail) => {
      const expected = { api: 'apps/api/src/main.ts', worker: 'apps/worker/src/main.ts' };
      for (const target of longRunningTargets) {
        const cmd = df.cmd(target);
        const [program, script = '', ...extra] = cmd?.args ?? [];
        if (cmd?.shellForm !== false)
          fail(`${target} CMD is not in exec form (signals would not reach node)`);
        if (program !== 'node' || extra.length > 0) fail(`${target} CMD is not \`node <script>\``);
        const source = sourceOf(script);
        if (source !== expected[target])
          fail(`${target} starts ${script}, not ${expected[target]}`);
        else if (!repoFileExists(source)) fail(`${target} entry point ${source} does not exist`);
      }
    }),

  'Lambda images point their handlers at existing lambda.ts sources': (df) =>
    problems((fail) => {
      const expected = {
        'lambda-api': 'apps/api/src/lambda.ts',
        'lambda-worker': 'apps/worker/src/lambda.ts',
      };
      for (const target of lambdaTargets) {
        const cmd = df.cmd(target);
        const [handler = '', ...extra] = cmd?.args ?? [];
        if (cmd?.shellForm !== false || extra.length > 0)
          fail(`${target} CMD is not just ["<handler>"]`);
        const [, modulePath = '', exportName = ''] = /^(.+)\.(\w+)$/.exec(handler) ?? [];
        if (exportName !== 'handler') fail(`${target} handler export is "${exportName}"`);
        const source = sourceOf(`${modulePath}.js`);
        if (source !== expected[target])
          fail(`${target} handler ${handler} is not ${expected[target]}`);
        else if (!repoFileExists(source)) fail(`${target} handler source ${source} does not exist`);
      }
    }),
};

// ---------------------------------------------------------------------------------------------
// The compose files, as the Compose specification's loader merges them

interface ComposeService {
  readonly image?: string;
  readonly build?: {
    readonly context: string;
    readonly dockerfile?: string;
    readonly target?: string;
  };
  readonly command?: readonly string[] | null;
  readonly entrypoint?: readonly string[] | null;
  readonly environment?: Readonly<Record<string, string | null>>;
  readonly ports?: readonly {
    readonly host_ip?: string;
    readonly target: number;
    readonly published?: string;
  }[];
  readonly depends_on?: Readonly<Record<string, { readonly condition: string }>>;
  readonly healthcheck?: { readonly test?: readonly string[]; readonly disable?: boolean };
  readonly volumes?: readonly {
    readonly type: string;
    readonly source?: string;
    readonly target: string;
    readonly read_only?: boolean;
  }[];
  readonly restart?: string;
}

interface ComposeModel {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes?: Readonly<Record<string, unknown>>;
}

function loadCompose(
  files: readonly string[],
  options: { interpolate?: boolean } = {},
): Outcome<ComposeModel> {
  const outcome = containerCheck([
    'compose',
    '--project-directory',
    repoRoot,
    ...(options.interpolate === false ? ['--no-interpolate'] : []),
    ...files.flatMap((file) => ['-f', file]),
  ]);
  return outcome.ok ? { ok: true, model: outcome.model as ComposeModel } : outcome;
}

const envOf = (svc: ComposeService | undefined): Readonly<Record<string, string | null>> =>
  svc?.environment ?? {};
const healthProbe = (svc: ComposeService | undefined): string =>
  svc?.healthcheck?.disable === true ? '' : (svc?.healthcheck?.test ?? []).join(' ');
const launchOf = (svc: ComposeService | undefined): readonly string[] => [
  ...(svc?.entrypoint ?? []),
  ...(svc?.command ?? []),
];

/** The services that run the application (built from docker/Dockerfile): they need AWS. */
const appServices = (model: ComposeModel): string[] =>
  Object.keys(model.services).filter((name) => model.services[name]?.build !== undefined);

/**
 * The AWS services the application calls, by the suffix of the SDK's AWS_ENDPOINT_URL_<SERVICE>,
 * with LocalStack's name for each (its SERVICES variable).
 */
const awsServices: Readonly<Record<AwsService, string>> = {
  S3: 's3',
  SQS: 'sqs',
  DYNAMODB: 'dynamodb',
  EVENTBRIDGE: 'events',
  SES: 'ses',
  SECRETS_MANAGER: 'secretsmanager',
  COGNITO_IDENTITY_PROVIDER: 'cognito-idp',
  CLOUDWATCH: 'cloudwatch',
  STS: 'sts',
};
/** The free LocalStack cannot serve these (DynamoDB needs DynamoDB Local; Cognito is paid). */
const notFromLocalStack = new Set(['dynamodb', 'cognito-idp']);

type Emulator =
  | { readonly kind: 'localstack'; readonly serves: ReadonlySet<string>; readonly port: number }
  | { readonly kind: 'moto'; readonly port: number };

/** What a compose service emulates, from its image and its settings. */
function emulatorOf(svc: ComposeService | undefined): Emulator | undefined {
  const image = svc?.image ?? '';
  if (image.startsWith('localstack/localstack:')) {
    const serves = (envOf(svc).SERVICES ?? '').split(',').map((name) => name.trim());
    return {
      kind: 'localstack',
      serves: new Set(serves.filter((name) => name !== '')),
      port: 4566,
    };
  }
  if (image.startsWith('motoserver/moto:')) {
    const launch = launchOf(svc);
    const portFlag = launch.indexOf('-p');
    return { kind: 'moto', port: portFlag === -1 ? 5000 : Number(launch[portFlag + 1]) };
  }
  return undefined;
}

/** A service has a healthcheck of its own in compose, or inherits its image's HEALTHCHECK. */
function declaresHealthcheck(model: ComposeModel, df: Dockerfile, name: string): boolean {
  const svc = model.services[name];
  if (svc?.healthcheck?.disable === true) return false;
  if (svc?.healthcheck?.test !== undefined) return true;
  const target = svc?.build?.target;
  return target !== undefined && df.healthcheck(target) !== undefined;
}

/** A compose check; the Dockerfile tells which healthchecks and targets the images bring. */
type ComposeCheck = (model: ComposeModel, df: Dockerfile) => string[];

/** Checks that hold for the base file and for the base file merged with the moto override. */
const stackChecks: Record<string, ComposeCheck> = {
  'it runs localstack, moto, mysql, bootstrap, api and worker': (model) =>
    problems((fail) => {
      const names = Object.keys(model.services).sort();
      const expected = ['api', 'bootstrap', 'localstack', 'moto', 'mysql', 'worker'];
      if (names.join() !== expected.join())
        fail(`services are ${names.join()}, expected ${expected.join()}`);
      if (!deepEqualTo(appServices(model), ['api', 'bootstrap', 'worker']))
        fail(`the services built from the Dockerfile are ${appServices(model).join()}`);
    }),

  'every app service reaches each AWS service through an endpoint that serves it': (model) =>
    problems((fail) => {
      const routed = new Map<string, Set<string>>();
      for (const name of appServices(model)) {
        const env = envOf(model.services[name]);
        const expected = {
          AWS_ENDPOINT_URL: 'http://localstack:4566',
          AWS_ENDPOINT_URL_DYNAMODB: 'http://moto:5000',
          AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://moto:5000',
        };
        for (const [key, value] of Object.entries(expected))
          if (env[key] !== value) fail(`${name}: ${key} is ${String(env[key])}, expected ${value}`);

        for (const [suffix, awsName] of Object.entries(awsServices)) {
          const endpoint = env[`AWS_ENDPOINT_URL_${suffix}`] ?? env.AWS_ENDPOINT_URL;
          if (!endpoint) {
            fail(`${name}: no endpoint for ${awsName}: it would reach real AWS`);
            continue;
          }
          const url = new URL(endpoint);
          const host = url.hostname;
          const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
          const target = model.services[host];
          if (!target) {
            fail(`${name}: ${awsName} endpoint ${endpoint}: no service "${host}" in the model`);
            continue;
          }
          const emulator = emulatorOf(target);
          if (!emulator)
            fail(`${name}: ${awsName} endpoint ${endpoint}: ${host} is no known emulator`);
          else if (emulator.port !== port)
            fail(`${name}: ${awsName} endpoint ${endpoint}: ${host} listens on ${emulator.port}`);
          else if (emulator.kind === 'localstack' && !emulator.serves.has(awsName))
            fail(`${name}: ${awsName} goes to ${host}, whose LocalStack SERVICES lacks it`);
          if (emulator?.kind === 'localstack' && notFromLocalStack.has(awsName))
            fail(`${name}: ${awsName} goes to LocalStack, which cannot serve it on the free plan`);
          if (model.services[name]?.depends_on?.[host]?.condition !== 'service_healthy')
            fail(`${name} does not wait for ${host} (depends_on service_healthy)`);
          routed.set(host, (routed.get(host) ?? new Set()).add(awsName));
        }
      }
      // SERVICES lists exactly what the app routes to LocalStack: nothing idle, nothing missing.
      for (const [name, svc] of Object.entries(model.services)) {
        const emulator = emulatorOf(svc);
        if (emulator?.kind !== 'localstack') continue;
        const wanted = [...(routed.get(name) ?? [])].sort().join();
        const served = [...emulator.serves].sort().join();
        if (wanted !== served)
          fail(`${name}: SERVICES=${served}, but the app routes ${wanted} to it`);
      }
      // Presigned URLs are for the host: they name the published LocalStack port.
      for (const name of appServices(model)) {
        const publicUrl = envOf(model.services[name]).FILES_PUBLIC_ENDPOINT_URL ?? '';
        if (publicUrl !== 'http://localhost:4566')
          fail(`${name}: FILES_PUBLIC_ENDPOINT_URL is ${publicUrl}`);
      }
      const published = model.services.localstack?.ports?.some(
        (port) => port.published === '4566' && port.target === 4566,
      );
      if (published !== true) fail('localstack does not publish 4566 (FILES_PUBLIC_ENDPOINT_URL)');
    }),

  'emulators are pinned, listen for other containers and have healthchecks': (model) =>
    problems((fail) => {
      for (const [name, svc] of Object.entries(model.services)) {
        const emulator = emulatorOf(svc);
        if (!emulator) continue;
        if (emulator.kind === 'moto') {
          if (svc.image !== `motoserver/moto:${MOTO_VERSION}`)
            fail(`${name}: ${String(svc.image)}, not the project's moto ${MOTO_VERSION}`);
          const launch = launchOf(svc).join(' ');
          if (!launch.includes('-H 0.0.0.0'))
            fail(`${name}: moto does not listen on every interface`);
          if (!healthProbe(svc).includes(`127.0.0.1:${emulator.port}/moto-api/`))
            fail(`${name}: the healthcheck does not probe moto on ${emulator.port}`);
        } else {
          // The release CI runs (localstack-core 4.14.0): it needs no auth token.
          if (!/^localstack\/localstack:4\.14(?:\.\d+)?$/.test(svc.image ?? ''))
            fail(`${name}: ${String(svc.image)} is not LocalStack 4.14`);
          if (!healthProbe(svc).includes('/_localstack/init/ready'))
            fail(`${name}: the healthcheck does not wait for the ready hooks`);
          const hooks = svc.volumes?.find((volume) => volume.target === '/etc/localstack/init');
          if (hooks?.source !== join(repoRoot, 'localstack/init') || hooks.read_only !== true)
            fail(`${name}: localstack/init is not mounted read-only at /etc/localstack/init`);
          const sender = envOf(model.services.api).SES_FROM_ADDRESS;
          if (envOf(svc).SES_FROM_ADDRESS !== sender)
            fail(`${name}: SES_FROM_ADDRESS differs from the app's (${String(sender)})`);
        }
        for (const key of Object.keys(envOf(svc)))
          if (key.startsWith('LOCALSTACK_AUTH'))
            fail(`${name}: ${key}: LocalStack 4.14 needs no token`);
      }
    }),

  'published ports bind to 127.0.0.1 only': (model) =>
    problems((fail) => {
      for (const [name, svc] of Object.entries(model.services))
        for (const port of svc.ports ?? [])
          if (port.host_ip !== '127.0.0.1')
            fail(
              `${name}: port ${port.target} is published on ${port.host_ip ?? 'every interface'}`,
            );
    }),

  'mysql 8 has a mysqladmin healthcheck and a named volume': (model) =>
    problems((fail) => {
      const mysql = model.services.mysql;
      if (!/^mysql:8(?:\.\d+)*$/.test(mysql?.image ?? ''))
        fail(`mysql image ${String(mysql?.image)}`);
      const probe = mysql?.healthcheck?.test ?? [];
      const script = probe[0] === 'CMD-SHELL' ? (probe[1] ?? '') : '';
      if (!shellCommands(script).some((c) => startsWith(argvOf(c), ['mysqladmin', 'ping'])))
        fail('mysql healthcheck does not run mysqladmin ping');
      if (envOf(mysql).MYSQL_DATABASE !== 'codecraft' || envOf(mysql).MYSQL_USER !== 'codecraft')
        fail('mysql database and user are not codecraft');
      const named = (mysql?.volumes ?? []).filter((volume) => volume.type === 'volume');
      if (named.length === 0) fail('mysql data does not live in a named volume');
      for (const { source = '' } of named)
        if (!(source in (model.volumes ?? {}))) fail(`volume ${source} is not declared`);
    }),

  'bootstrap runs once, after the emulators and mysql are healthy, from existing scripts': (
    model,
  ) =>
    problems((fail) => {
      const bootstrap = model.services.bootstrap;
      for (const dep of ['localstack', 'moto', 'mysql'])
        if (bootstrap?.depends_on?.[dep]?.condition !== 'service_healthy')
          fail(`bootstrap does not wait for ${dep} to be healthy`);
      if (bootstrap?.restart !== 'no') fail('bootstrap restarts');
      if (bootstrap?.build?.target !== 'api') fail('bootstrap is not built from the api target');
      const [shell, flag, script = ''] = bootstrap?.command ?? [];
      if (shell !== 'sh' || flag !== '-c') fail('bootstrap command is not sh -c "..."');
      const scripts = shellCommands(script)
        .map(argvOf)
        .map((argv) => (argv[0] === 'node' ? (argv[1] ?? '') : `(not node: ${argv.join(' ')})`));
      if (!deepEqualTo(scripts, ['dist/scripts/bootstrap.js', 'dist/scripts/migrate.js']))
        fail(`bootstrap runs ${scripts.join(', ')}`);
      for (const compiled of scripts) {
        const source = sourceOf(compiled);
        if (source === undefined || !repoFileExists(source)) fail(`${compiled} has no source`);
      }
    }),

  'api and worker start only after bootstrap completed successfully': (model) =>
    problems((fail) => {
      for (const name of longRunningTargets) {
        const svc = model.services[name];
        if (svc?.depends_on?.bootstrap?.condition !== 'service_completed_successfully')
          fail(`${name} does not wait for bootstrap to complete successfully`);
        if (svc?.build?.target !== name) fail(`${name} is not built from the ${name} target`);
      }
      if (!model.services.api?.ports?.some((port) => port.target === 3000))
        fail('api does not publish 3000');
    }),

  'every service_healthy dependency has a healthcheck (its own or its image’s)': (model, df) =>
    problems((fail) => {
      for (const [name, svc] of Object.entries(model.services))
        for (const [dep, { condition }] of Object.entries(svc.depends_on ?? {}))
          if (condition === 'service_healthy' && !declaresHealthcheck(model, df, dep))
            fail(`${name} waits for ${dep} to be healthy, but ${dep} has no healthcheck`);
    }),

  'services build existing docker/Dockerfile targets from the repository': (model, df) =>
    problems((fail) => {
      for (const [name, svc] of Object.entries(model.services)) {
        if (!svc.build) continue;
        if (svc.build.context !== repoRoot) fail(`${name} build context ${svc.build.context}`);
        if (svc.build.dockerfile !== dockerfilePath)
          fail(`${name} build.dockerfile ${String(svc.build.dockerfile)}`);
        const target = svc.build.target;
        // Without a target, docker builds the last stage: a Lambda image.
        if (target === undefined || !df.stage(target))
          fail(`${name} builds target ${String(target)}`);
      }
    }),

  'the app services share one environment: emulators, MySQL, auth on': (model) =>
    problems((fail) => {
      const shared = envOf(model.services.api);
      for (const name of appServices(model))
        if (!deepEqualTo(envOf(model.services[name]), shared))
          fail(`${name} environment differs from api's`);
      const expected = {
        NODE_ENV: 'development',
        AUTH_MODE: 'cognito',
        LOG_FORMAT: 'json',
        AWS_REGION: 'us-east-1',
        RESOURCE_PREFIX: 'codecraft',
      };
      for (const [key, value] of Object.entries(expected))
        if (shared[key] !== value) fail(`${key} is ${String(shared[key])}, expected ${value}`);
      if (!/^mysql:\/\/codecraft:[^@]+@mysql:3306\/codecraft$/.test(shared.DATABASE_URL ?? ''))
        fail(`DATABASE_URL ${String(shared.DATABASE_URL)}`);
    }),
};

const deepEqualTo = (actual: unknown, expected: unknown): boolean => {
  try {
    assert.deepEqual(actual, expected);
    return true;
  } catch {
    return false;
  }
};

/** On the model as written (no interpolation): secrets come from the environment or .env. */
const noSecretLiterals: Check<ComposeModel> = (model) =>
  problems((fail) => {
    const looksLikeAwsKeyId = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/;
    const looksLikeSecretKey = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/;
    const interpolated = /^\$\{\w+(?::?[-?][^}]*)?\}$/;
    for (const text of stringsIn(model)) {
      if (looksLikeAwsKeyId.test(text)) fail(`AWS access key id in "${text}"`);
      if (looksLikeSecretKey.test(text)) fail(`secret-looking value "${text}"`);
      const [, urlPassword] = /:\/\/[^/:@\s]+:([^@\s]+)@/.exec(text) ?? [];
      if (urlPassword !== undefined && !interpolated.test(urlPassword))
        fail(`password in a URL: "${text}"`);
    }
    for (const [name, svc] of Object.entries(model.services)) {
      for (const [key, value] of Object.entries(envOf(svc))) {
        if (!/SECRET|PASSWORD|TOKEN|PRIVATE|ACCESS_KEY|API_KEY/i.test(key)) continue;
        // "test" is the emulators' documented dummy credential pair, not a secret.
        if (value === null || value === '' || value === 'test' || interpolated.test(value))
          continue;
        fail(`${name}.${key} is a literal; it must come from the environment (\${${key}:-...})`);
      }
    }
  });

/** Every string anywhere in a JSON model. */
function* stringsIn(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value as unknown[]) yield* stringsIn(item);
  else if (typeof value === 'object' && value !== null)
    for (const [key, item] of Object.entries(value)) yield* [key, ...stringsIn(item)];
}

/** The moto override, merged with the base file: moto stands in for LocalStack, nothing else changes. */
const motoOverrideChecks: Record<string, (merged: ComposeModel, base: ComposeModel) => string[]> = {
  'the localstack service runs moto, without LocalStack’s settings': (merged) =>
    problems((fail) => {
      const localstack = merged.services.localstack;
      if (emulatorOf(localstack)?.kind !== 'moto')
        fail(`localstack runs ${String(localstack?.image)}`);
      const launch = launchOf(localstack).join(' ');
      if (!launch.includes('-p 4566')) fail('moto does not listen on LocalStack’s port 4566');
      if (!deepEqualTo(envOf(localstack), { MOTO_PORT: '4566' }))
        fail(`localstack environment is ${JSON.stringify(envOf(localstack))}`);
      if ((localstack?.volumes ?? []).length > 0) fail('LocalStack’s init hooks are still mounted');
    }),
  'every other service is as in the base file': (merged, base) =>
    problems((fail) => {
      for (const name of Object.keys(base.services))
        if (name !== 'localstack' && !deepEqualTo(merged.services[name], base.services[name]))
          fail(`${name} differs from the base file`);
    }),
};

// ---------------------------------------------------------------------------------------------
// The real files

let dockerfileCache: Dockerfile | undefined;
const dockerfile = (): Dockerfile =>
  (dockerfileCache ??= loaded(parseDockerfile(join(repoRoot, dockerfilePath))));
let composeCache: ComposeModel | undefined;
const compose = (): ComposeModel => (composeCache ??= loaded(loadCompose([composeFile])));
let mergedCache: ComposeModel | undefined;
const merged = (): ComposeModel =>
  (mergedCache ??= loaded(loadCompose([composeFile, motoOverrideFile])));

for (const [name, check] of Object.entries(dockerfileChecks)) {
  test(`Dockerfile: ${name}`, needsTools, () => {
    assert.deepEqual(check(dockerfile()), []);
  });
}

test('Dockerfile: hadolint finds nothing', needsTools, () => {
  const result = run(tools().hadolint, [
    '--failure-threshold',
    'info',
    '--format',
    'json',
    dockerfilePath,
  ]);
  assert.equal(result.status, 0, `hadolint: ${result.stdout}${result.stderr}`);
  assert.deepEqual(JSON.parse(result.stdout), []);
  // Each inline exception carries its reason after the rule codes.
  for (const line of readRepoFile(dockerfilePath).split('\n')) {
    if (/#\s*hadolint\s+ignore=/.test(line))
      assert.match(line, /ignore=[\w,]+\s+\S/, `hadolint ignore without a reason: ${line}`);
  }
});

test('.dockerignore keeps host artefacts out of the build context', () => {
  const ignored = new Set(
    readRepoFile('.dockerignore')
      .split(/\r?\n/)
      .map((line) =>
        line
          .trim()
          .replace(/^\*\*\//, '')
          .replace(/\/$/, ''),
      )
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
  for (const entry of [
    'node_modules',
    'dist',
    '.venv',
    '.venv-localstack',
    '.cache',
    'data',
    '.git',
    'coverage',
    '.env',
  ])
    assert.ok(ignored.has(entry), `.dockerignore should exclude ${entry}`);
});

for (const [name, check] of Object.entries(stackChecks)) {
  test(`compose: ${name}`, needsTools, () => {
    assert.deepEqual(check(compose(), dockerfile()), []);
  });
  test(`compose + moto override: ${name}`, needsTools, () => {
    assert.deepEqual(check(merged(), dockerfile()), []);
  });
}

test('compose: the files load with no error', needsTools, () => {
  for (const files of [[composeFile], [composeFile, motoOverrideFile]]) {
    const outcome = loadCompose(files);
    assert.ok(outcome.ok, `${files.join(' + ')}: ${outcome.ok ? '' : outcome.error}`);
  }
});

test(
  'compose: no secret in a plain value (base file and moto override, as written)',
  needsTools,
  () => {
    for (const files of [[composeFile], [composeFile, motoOverrideFile]])
      assert.deepEqual(
        noSecretLiterals(loaded(loadCompose(files, { interpolate: false }))),
        [],
        files.join(' + '),
      );

    const example = readRepoFile('localstack/.env.example')
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
    for (const key of ['MYSQL_PASSWORD', 'MYSQL_ROOT_PASSWORD'])
      assert.ok(example.includes(`${key}=`), `localstack/.env.example lists ${key}= with no value`);
    for (const line of example) assert.match(line, /^\w+=$/, `.env.example holds a value: ${line}`);
    assert.ok(
      !example.some((line) => line.startsWith('LOCALSTACK_AUTH_TOKEN')),
      'no token is needed',
    );
  },
);

for (const [name, check] of Object.entries(motoOverrideChecks)) {
  test(`compose + moto override: ${name}`, needsTools, () => {
    assert.deepEqual(check(merged(), compose()), []);
  });
}

test(
  'the LocalStack init hooks are executable scripts; the ready hook verifies the sender',
  needsTools,
  () => {
    const initDir = join(repoRoot, 'localstack/init');
    const hooks = readdirSync(initDir).flatMap((stage) =>
      readdirSync(join(initDir, stage)).map((file) => `localstack/init/${stage}/${file}`),
    );
    assert.ok(hooks.includes('localstack/init/ready.d/10-verify.sh'), hooks.join());
    for (const hook of hooks) {
      assert.match(
        hook,
        /\/(?:boot|start|ready|shutdown)\.d\/[^/]+\.(?:sh|py)$/,
        `${hook}: not a hook LocalStack runs`,
      );
      assert.notEqual(statSync(join(repoRoot, hook)).mode & 0o111, 0, `${hook} is not executable`);
      const text = readRepoFile(hook);
      assert.doesNotMatch(text, /LOCALSTACK_AUTH_TOKEN/, `${hook}: LocalStack 4.14 needs no token`);
      if (!hook.endsWith('.sh')) continue;
      assert.match(text, /^#!\/bin\/(?:ba)?sh\n/, `${hook} needs a shebang`);
      assert.ok(shellCommands(text, true).length > 0, `${hook} runs nothing`);
    }
    const verify = shellCommands(readRepoFile('localstack/init/ready.d/10-verify.sh'), true);
    assert.ok(
      verify.some((c) =>
        startsWith(argvOf(c), ['awslocal', 'ses', 'verify-email-identity', '--email-address']),
      ),
      'the ready hook verifies the SES sender identity',
    );
    assert.ok(
      verify.some((c) =>
        c.some((word) => unquoted(word) === 'sender=${SES_FROM_ADDRESS:-no-reply@codecraft.local}'),
      ),
      'the sender is SES_FROM_ADDRESS, no-reply@codecraft.local by default',
    );
  },
);

// ---------------------------------------------------------------------------------------------
// The checks can fail: deliberately broken copies, written to a scratch directory

const brokenDockerfile = (name: string, from: string | RegExp, to: string): Dockerfile => {
  const path = scratchFile(name, replaced(readRepoFile(dockerfilePath), from, to));
  return loaded(parseDockerfile(path));
};
const buildStep = /RUN npm run build \\\n[^\n]*\n/;

test('broken Dockerfile: a build step that does not build is caught', needsTools, () => {
  const check =
    dockerfileChecks[
      'the build stage compiles with npm run build, and every image ships its dist/'
    ];
  assert.ok(check);
  for (const [file, step] of [
    ['Dockerfile.true', 'RUN true\n'],
    // A word in a comment or an argument is not the command.
    ['Dockerfile.comment', 'RUN true # npm run build\n'],
    ['Dockerfile.echo', 'RUN echo npm run build\n'],
  ] as const) {
    const found = check(brokenDockerfile(file, buildStep, step));
    assert.deepEqual(found, ['no RUN of the build stage executes `npm run build`'], file);
  }
});

test('broken Dockerfile: an image left running as root is caught', needsTools, () => {
  const check = dockerfileChecks['api and worker run as a non-root user, in production mode'];
  assert.ok(check);
  assert.deepEqual(check(brokenDockerfile('Dockerfile.root', /^USER 1000:1000$/m, 'USER root')), [
    'api runs as root',
    'worker runs as root',
  ]);
  assert.deepEqual(check(brokenDockerfile('Dockerfile.nouser', /^USER 1000:1000$/m, '')), [
    'api never switches USER, so it runs as root',
    'worker never switches USER, so it runs as root',
  ]);
});

test('broken Dockerfile: a lost MALLOC_ARENA_MAX is caught', needsTools, () => {
  const check =
    dockerfileChecks['every runtime image caps glibc malloc arenas (MALLOC_ARENA_MAX=2)'];
  assert.ok(check);
  const found = check(
    brokenDockerfile('Dockerfile.malloc', /MALLOC_ARENA_MAX=2\n/, 'MALLOC_ARENA_MAX=8\n'),
  );
  assert.deepEqual(found, ['api MALLOC_ARENA_MAX is 8', 'worker MALLOC_ARENA_MAX is 8']);
});

test('broken Dockerfile: BuildKit rejects an unknown instruction', needsTools, () => {
  const path = scratchFile(
    'Dockerfile.invalid',
    replaced(readRepoFile(dockerfilePath), /^WORKDIR \/app$/m, 'WORKDIRR /app'),
  );
  const outcome = parseDockerfile(path);
  assert.ok(!outcome.ok, 'BuildKit read it');
  assert.match(outcome.error, /unknown instruction: WORKDIRR/i);
});

test('broken Dockerfile: hadolint fails on an unpinned apt-get install', needsTools, () => {
  const path = scratchFile(
    'Dockerfile.hadolint',
    replaced(
      readRepoFile(dockerfilePath),
      /^WORKDIR \/app$/m,
      'WORKDIR /app\nRUN apt-get update && apt-get install -y curl',
    ),
  );
  const result = run(tools().hadolint, ['--failure-threshold', 'info', '--format', 'json', path]);
  assert.notEqual(result.status, 0);
  const codes = (JSON.parse(result.stdout) as { code: string }[]).map(({ code }) => code);
  assert.ok(codes.includes('DL3008'), codes.join());
});

const brokenCompose = (
  name: string,
  from: string | RegExp,
  to: string,
  file = composeFile,
): string => scratchFile(name, replaced(readRepoFile(file), from, to));
const endpointCheck = (model: ComposeModel): string[] => {
  const check =
    stackChecks['every app service reaches each AWS service through an endpoint that serves it'];
  assert.ok(check);
  return check(model, dockerfile());
};

test('broken compose: a per-service endpoint naming no service is caught', needsTools, () => {
  const path = brokenCompose(
    'compose.endpoint.yml',
    'AWS_ENDPOINT_URL_DYNAMODB: http://moto:5000',
    'AWS_ENDPOINT_URL_DYNAMODB: http://dynamodb:8000',
  );
  const found = endpointCheck(loaded(loadCompose([path])));
  for (const name of ['api', 'bootstrap', 'worker'])
    assert.ok(
      found.includes(
        `${name}: dynamodb endpoint http://dynamodb:8000: no service "dynamodb" in the model`,
      ),
      found.join('\n'),
    );
});

test('broken compose: DynamoDB routed to LocalStack is caught', needsTools, () => {
  const path = brokenCompose(
    'compose.dynamodb.yml',
    'AWS_ENDPOINT_URL_DYNAMODB: http://moto:5000',
    'AWS_ENDPOINT_URL_DYNAMODB: http://localstack:4566',
  );
  const found = endpointCheck(loaded(loadCompose([path])));
  assert.ok(
    found.includes('api: dynamodb goes to localstack, whose LocalStack SERVICES lacks it'),
    found.join('\n'),
  );
  assert.ok(
    found.includes('api: dynamodb goes to LocalStack, which cannot serve it on the free plan'),
    found.join('\n'),
  );
});

test('broken compose: an idle LocalStack service is caught', needsTools, () => {
  const path = brokenCompose('compose.services.yml', 'SERVICES: s3,', 'SERVICES: dynamodb,s3,');
  const found = endpointCheck(loaded(loadCompose([path])));
  assert.deepEqual(found, [
    'localstack: SERVICES=cloudwatch,dynamodb,events,s3,secretsmanager,ses,sqs,sts, but the app routes cloudwatch,events,s3,secretsmanager,ses,sqs,sts to it',
  ]);
});

test('broken compose: the loader rejects invalid files', needsTools, () => {
  const cases = [
    // Not in the Compose specification's schema.
    [
      'compose.schema.yml',
      /^ {4}restart: 'no'$/m,
      "    restart: 'no'\n    healthcheck_: {}",
      /healthcheck_/,
    ],
    // depends_on a service that does not exist.
    [
      'compose.depends.yml',
      /^ {6}moto:\n {8}condition: service_healthy$/m,
      '      nosuch:\n        condition: service_healthy',
      /nosuch/,
    ],
    // Not YAML.
    ['compose.yaml.yml', /^volumes:$/m, 'volumes: [', /yaml/i],
  ] as const;
  for (const [name, from, to, message] of cases) {
    const outcome = loadCompose([brokenCompose(name, from, to)]);
    assert.ok(!outcome.ok, `${name} loaded`);
    assert.match(outcome.error, message, name);
  }
});

test('broken compose: a port published on every interface is caught', needsTools, () => {
  const check = stackChecks['published ports bind to 127.0.0.1 only'];
  assert.ok(check);
  const path = brokenCompose('compose.ports.yml', "'127.0.0.1:3306:3306'", "'3306:3306'");
  assert.deepEqual(check(loaded(loadCompose([path])), dockerfile()), [
    'mysql: port 3306 is published on every interface',
  ]);
});

test('broken compose: a literal password is caught', needsTools, () => {
  const path = brokenCompose(
    'compose.secret.yml',
    'MYSQL_ROOT_PASSWORD: ${MYSQL_ROOT_PASSWORD:-codecraft-root-dev}',
    'MYSQL_ROOT_PASSWORD: hunter2',
  );
  assert.deepEqual(noSecretLiterals(loaded(loadCompose([path], { interpolate: false }))), [
    'mysql.MYSQL_ROOT_PASSWORD is a literal; it must come from the environment (${MYSQL_ROOT_PASSWORD:-...})',
  ]);
});

test(
  'broken moto override: LocalStack settings that survive the merge are caught',
  needsTools,
  () => {
    const check =
      motoOverrideChecks['the localstack service runs moto, without LocalStack’s settings'];
    assert.ok(check);
    const noReset = brokenCompose(
      'moto.volumes.yml',
      'volumes: !reset []',
      'volumes: []',
      motoOverrideFile,
    );
    assert.deepEqual(check(loaded(loadCompose([composeFile, noReset])), compose()), [
      'LocalStack’s init hooks are still mounted',
    ]);
    const noOverride = brokenCompose(
      'moto.env.yml',
      'environment: !override',
      'environment:',
      motoOverrideFile,
    );
    const found = check(loaded(loadCompose([composeFile, noOverride])), compose());
    assert.equal(found.length, 1);
    assert.match(found[0] ?? '', /^localstack environment is .*"SERVICES"/);
  },
);
