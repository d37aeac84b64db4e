/**
 * Static checks of the container setup: docker/Dockerfile, docker-compose.yml, the moto override
 * and LocalStack's init hooks. They need no Docker engine: they read the files and hold the
 * invariants that `docker build` or `docker compose up` would otherwise reveal only at run time.
 * Paths are relative to the repository root, the directory the tests run from.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseDocument, YAMLMap, YAMLSeq, type CollectionTag } from 'yaml';

const repoRoot = process.cwd();
const readRepoFile = (path: string): string => readFileSync(join(repoRoot, path), 'utf8');
const repoFileExists = (path: string): boolean => existsSync(join(repoRoot, path));

/** `dist/apps/api/src/main.js` -> `apps/api/src/main.ts`: the source tsc compiles it from. */
function sourceOf(compiledPath: string): string {
  assert.match(
    compiledPath,
    /^dist\/.+\.js$/,
    `${compiledPath} should be a compiled file under dist/`,
  );
  return compiledPath.replace(/^dist\//, '').replace(/\.js$/, '.ts');
}

// ---------------------------------------------------------------------------------------------
// A small Dockerfile reader: stages (`FROM image AS name`) and their instructions.

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

interface Stage {
  readonly name: string;
  /** An external image, or the name of an earlier stage. */
  readonly from: string;
  readonly instructions: Instruction[];
}

/** Drops comments and blank lines and joins `\` continuations into one line per instruction. */
function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let pending = '';
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    lines.push(pending + line);
    pending = '';
  }
  if (pending !== '') lines.push(pending.trim());
  return lines;
}

function parseDockerfile(text: string): Map<string, Stage> {
  const stages = new Map<string, Stage>();
  let current: Stage | undefined;
  for (const line of logicalLines(text)) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') {
      const [, from, name] = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? [];
      assert.ok(from !== undefined, `unreadable FROM line: ${line}`);
      current = {
        name: (name ?? `stage-${String(stages.size)}`).toLowerCase(),
        from,
        instructions: [],
      };
      stages.set(current.name, current);
    } else {
      // Instructions before the first FROM (global ARGs) belong to no stage.
      current?.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

const dockerfilePath = 'docker/Dockerfile';
const stages = parseDockerfile(readRepoFile(dockerfilePath));

function stage(name: string): Stage {
  const found = stages.get(name);
  assert.ok(found, `${dockerfilePath} has no stage "${name}"`);
  return found;
}

/** The stage and every stage it builds on, nearest first. */
function lineage(name: string): Stage[] {
  const chain: Stage[] = [];
  for (
    let next = stages.get(name);
    next && chain.length <= stages.size;
    next = stages.get(next.from.toLowerCase())
  ) {
    chain.push(next);
  }
  return chain;
}

/** The external image a stage ultimately starts from. */
function baseImage(name: string): string {
  const root = lineage(name).at(-1);
  assert.ok(root, `${dockerfilePath} has no stage "${name}"`);
  return root.from;
}

/** Instructions of one keyword that apply to a stage, inherited ones first. */
function effective(name: string, keyword: string): Instruction[] {
  return lineage(name)
    .reverse()
    .flatMap((s) => s.instructions)
    .filter((instruction) => instruction.keyword === keyword);
}

/** The value of a (possibly inherited) `ENV KEY=value`, or undefined. */
function envValue(name: string, key: string): string | undefined {
  let value: string | undefined;
  for (const { args } of effective(name, 'ENV')) {
    for (const [, envKey, envVal = ''] of args.matchAll(/(\w+)=("[^"]*"|\S*)/g)) {
      if (envKey === key) value = envVal.replace(/^"|"$/g, '');
    }
  }
  return value;
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** Parses the JSON exec form of CMD / HEALTHCHECK CMD. */
function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  assert.ok(isStringArray(parsed), `expected the exec form ["..."], got: ${args}`);
  return parsed;
}

/** The command of the last CMD that applies to a stage. */
function cmdOf(name: string): string[] {
  const cmd = effective(name, 'CMD').at(-1);
  assert.ok(cmd, `stage ${name} has no CMD`);
  return execForm(cmd.args);
}

/** The probe command of the HEALTHCHECK that applies to a stage, or undefined if none / NONE. */
function healthcheckOf(name: string): string[] | undefined {
  const healthcheck = effective(name, 'HEALTHCHECK').at(-1);
  if (!healthcheck || /^NONE$/i.test(healthcheck.args)) return undefined;
  const [, command = ''] = /^(?:--\S+\s+)*CMD\s+(.+)$/.exec(healthcheck.args) ?? [];
  return execForm(command);
}

const longRunningTargets = ['api', 'worker'] as const;
const lambdaTargets = ['lambda-api', 'lambda-worker'] as const;

// ---------------------------------------------------------------------------------------------
// Compose files. `!override` / `!reset` are Compose's merge tags; the override file uses them.

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function mapping(value: unknown, what: string): Record<string, unknown> {
  assert.ok(isMapping(value), `${what} should be a mapping`);
  return value;
}

function scalarText(value: unknown, what: string): string {
  if (value === null || value === undefined) return '';
  assert.ok(
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean',
    `${what} should be a scalar`,
  );
  return String(value);
}

const composeTags: CollectionTag[] = ['!override', '!reset'].flatMap((tag): CollectionTag[] => [
  { tag, collection: 'map', nodeClass: YAMLMap, identify: () => false },
  { tag, collection: 'seq', nodeClass: YAMLSeq, identify: () => false },
]);

function loadCompose(path: string): {
  readonly model: Record<string, unknown>;
  readonly tagOf: (path: string[]) => string | undefined;
} {
  const doc = parseDocument(readRepoFile(path), { customTags: composeTags });
  assert.deepEqual(doc.errors, [], `${path} should parse`);
  assert.deepEqual(doc.warnings, [], `${path} should parse without warnings`);
  const tagOf = (nodePath: string[]): string | undefined => {
    const node: unknown = doc.getIn(nodePath, true);
    return node instanceof YAMLMap || node instanceof YAMLSeq ? node.tag : undefined;
  };
  return { model: mapping(doc.toJS(), path), tagOf };
}

const compose = loadCompose('docker-compose.yml').model;
const motoOverride = loadCompose('docker-compose.moto.yml');

function serviceIn(model: Record<string, unknown>, name: string): Record<string, unknown> {
  return mapping(mapping(model.services, 'services')[name], `services.${name}`);
}
const service = (name: string): Record<string, unknown> => serviceIn(compose, name);
const serviceNames = (): string[] => Object.keys(mapping(compose.services, 'services'));

/** `environment:` in either of its forms (mapping, or list of KEY=value). */
function environmentOf(svc: Record<string, unknown>): Map<string, string> {
  const env = svc.environment;
  if (env === undefined || env === null) return new Map();
  if (Array.isArray(env)) {
    return new Map(
      env.map((entry: unknown): [string, string] => {
        const [key = '', ...rest] = scalarText(entry, 'environment entry').split('=');
        return [key, rest.join('=')];
      }),
    );
  }
  return new Map(
    Object.entries(mapping(env, 'environment')).map(([key, value]) => [
      key,
      scalarText(value, key),
    ]),
  );
}

/** `depends_on:` in either of its forms, as dependency -> condition. */
function dependenciesOf(svc: Record<string, unknown>): Map<string, string> {
  const deps = svc.depends_on;
  if (deps === undefined) return new Map();
  if (isStringArray(deps)) return new Map(deps.map((dep) => [dep, 'service_started']));
  return new Map(
    Object.entries(mapping(deps, 'depends_on')).map(([dep, spec]) => [
      dep,
      scalarText(mapping(spec, `depends_on.${dep}`).condition, 'condition') || 'service_started',
    ]),
  );
}

function buildTargetOf(svc: Record<string, unknown>): string | undefined {
  if (!isMapping(svc.build)) return undefined;
  const target = scalarText(svc.build.target, 'build.target');
  return target === '' ? undefined : target;
}

function healthcheckTestOf(svc: Record<string, unknown>): string[] | undefined {
  if (svc.healthcheck === undefined) return undefined;
  const healthcheck = mapping(svc.healthcheck, 'healthcheck');
  if (healthcheck.disable === true || healthcheck.test === undefined) return undefined;
  const probe = healthcheck.test;
  if (typeof probe === 'string') return ['CMD-SHELL', probe];
  assert.ok(isStringArray(probe), 'healthcheck.test should be a list of strings');
  return probe;
}

/** A list of short-syntax strings (`ports:`, `volumes:`), or [] if absent. */
function stringList(svc: Record<string, unknown>, key: string): string[] {
  const value = svc[key];
  if (value === undefined) return [];
  assert.ok(Array.isArray(value), `${key} should be a list`);
  return value.map((item: unknown) => scalarText(item, key));
}

/** A service has a healthcheck of its own in compose, or inherits its image's HEALTHCHECK. */
function declaresHealthcheck(name: string): boolean {
  const svc = service(name);
  if (isMapping(svc.healthcheck) && svc.healthcheck.disable === true) return false;
  if (healthcheckTestOf(svc)) return true;
  const target = buildTargetOf(svc);
  return target !== undefined && healthcheckOf(target) !== undefined;
}

/** Every string anywhere in a parsed YAML model. */
function* stringsIn(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value as unknown[]) yield* stringsIn(item);
  else if (isMapping(value))
    for (const [key, item] of Object.entries(value)) yield* [key, ...stringsIn(item)];
}

// ---------------------------------------------------------------------------------------------
// Dockerfile

test('the Dockerfile builds the four deliverables and the stages they need', () => {
  for (const target of ['deps', 'build', 'prod-deps', ...longRunningTargets, ...lambdaTargets])
    stage(target);
  assert.match(
    readRepoFile(dockerfilePath),
    /npm run build/,
    'the build stage compiles with npm run build',
  );
});

test('runtime images start from Node 24 (slim) and the Lambda Node.js 24 base', () => {
  for (const target of longRunningTargets) {
    assert.match(baseImage(target), /^node:24[.-]\S*slim\b/, `${target} base`);
  }
  for (const target of lambdaTargets) {
    assert.match(baseImage(target), /^public\.ecr\.aws\/lambda\/nodejs:24\b/, `${target} base`);
  }
  for (const target of ['deps', 'prod-deps'])
    assert.match(baseImage(target), /^node:24\b/, `${target} base`);
});

test('api and worker run as a non-root user', () => {
  for (const target of longRunningTargets) {
    const user = effective(target, 'USER').at(-1)?.args.trim() ?? '';
    assert.notEqual(user, '', `${target} never switches USER, so it runs as root`);
    assert.doesNotMatch(user, /^(?:root|0)(?::|$)/, `${target} runs as ${user}`);
    assert.equal(envValue(target, 'NODE_ENV'), 'production', `${target} NODE_ENV`);
  }
});

test('every runtime image caps glibc malloc arenas (sharp memory over many images)', () => {
  // Read by glibc at process start, so it must be in the image's environment, not set by the app.
  for (const target of [...longRunningTargets, ...lambdaTargets]) {
    assert.equal(envValue(target, 'MALLOC_ARENA_MAX'), '2', `${target} MALLOC_ARENA_MAX`);
  }
});

test('api and worker declare container healthchecks that need no curl', () => {
  const api = healthcheckOf('api');
  assert.ok(api, 'api has no HEALTHCHECK');
  assert.equal(api[0], 'node');
  assert.match(api.join(' '), /fetch\(.*127\.0\.0\.1:.*\/health\/live/);
  assert.ok(
    effective('api', 'EXPOSE').some(({ args }) => args.split(/\s+/).includes('3000')),
    'api EXPOSE 3000',
  );

  const worker = healthcheckOf('worker');
  assert.ok(worker, 'worker has no HEALTHCHECK');
  assert.equal(worker[0], 'node');
  assert.match(worker.join(' '), /statSync\(process\.env\.WORKER_HEARTBEAT_FILE\)/);
  assert.match(worker.join(' '), /60000|60_000/, 'the heartbeat goes stale after 60 s');
  assert.equal(envValue('worker', 'WORKER_HEARTBEAT_FILE'), '/tmp/codecraft-worker.heartbeat');
});

test('sharp gets its native binaries for linux x64 and arm64', () => {
  const prodDeps = stage('prod-deps');
  const install = prodDeps.instructions
    .filter(({ keyword }) => keyword === 'RUN')
    .map(({ args }) => args)
    .join('\n');
  assert.match(install, /npm ci\b.*--omit=dev/, 'prod-deps installs production dependencies');
  assert.match(install, /--os=linux/);

  // Either one image per architecture (buildx TARGETARCH, amd64 mapped to npm's x64) ...
  const perTarget =
    prodDeps.instructions.some(
      ({ keyword, args }) => keyword === 'ARG' && /^TARGETARCH\b/.test(args),
    ) &&
    /amd64\)[^;]*\bx64\b/.test(install) &&
    /arm64\)[^;]*\barm64\b/.test(install) &&
    /--cpu="?\$\{?\w+/.test(install);
  // ... or both binaries in every image.
  const both = /--cpu=x64\b/.test(install) && /--cpu=arm64\b/.test(install);
  assert.ok(perTarget || both, 'prod-deps must install sharp for x64 and arm64 (npm --cpu)');

  for (const target of [...longRunningTargets, ...lambdaTargets]) {
    const copiesProdModules = effective(target, 'COPY').some(({ args }) =>
      /--from=prod-deps\s+\S*node_modules\b/.test(args),
    );
    assert.ok(copiesProdModules, `${target} takes node_modules from prod-deps`);
  }
});

test('Lambda images point their handlers at existing lambda.ts sources', () => {
  const expected = {
    'lambda-api': 'apps/api/src/lambda.ts',
    'lambda-worker': 'apps/worker/src/lambda.ts',
  };
  for (const target of lambdaTargets) {
    const [handler = '', ...extra] = cmdOf(target);
    assert.deepEqual(extra, [], `${target} CMD is just the handler`);
    const [, modulePath = '', exportName = ''] = /^(.+)\.(\w+)$/.exec(handler) ?? [];
    assert.equal(exportName, 'handler', `${target} handler export`);
    const source = sourceOf(`${modulePath}.js`);
    assert.equal(source, expected[target]);
    assert.ok(repoFileExists(source), `${target} handler source ${source} does not exist`);
  }
});

test('long-running images start existing main.ts entry points', () => {
  const expected = { api: 'apps/api/src/main.ts', worker: 'apps/worker/src/main.ts' };
  for (const target of longRunningTargets) {
    const [program, script = '', ...extra] = cmdOf(target);
    assert.equal(program, 'node');
    assert.deepEqual(extra, []);
    const source = sourceOf(script);
    assert.equal(source, expected[target]);
    assert.ok(repoFileExists(source), `${target} entry point ${source} does not exist`);
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
  for (const entry of ['node_modules', 'dist', '.venv', 'data', '.git', 'coverage', '.env']) {
    assert.ok(ignored.has(entry), `.dockerignore should exclude ${entry}`);
  }
});

// ---------------------------------------------------------------------------------------------
// docker-compose.yml

test('compose runs localstack, mysql, bootstrap, api and worker', () => {
  for (const name of ['localstack', 'mysql', 'bootstrap', 'api', 'worker']) service(name);
});

test('localstack is pinned, passes the auth token through and has a healthcheck', () => {
  const localstack = service('localstack');
  assert.match(
    scalarText(localstack.image, 'image'),
    /^localstack\/localstack:(?!latest$)[\w.-]*\d/,
    'pinned tag',
  );

  const token = environmentOf(localstack).get('LOCALSTACK_AUTH_TOKEN');
  assert.ok(token !== undefined, 'LOCALSTACK_AUTH_TOKEN is not passed to the container');
  assert.match(
    token,
    /^\$\{LOCALSTACK_AUTH_TOKEN(?::?-[^}]*)?\}$/,
    'passed through from the environment',
  );
  // Not `${LOCALSTACK_AUTH_TOKEN:?...}`: compose interpolates each file before merging, so a
  // required variable here would stop the moto override as well.
  assert.doesNotMatch(token, /\?/);

  const services = environmentOf(localstack).get('SERVICES')?.split(',') ?? [];
  for (const needed of [
    's3',
    'sqs',
    'dynamodb',
    'events',
    'ses',
    'secretsmanager',
    'cognito-idp',
    'sts',
    'iam',
  ]) {
    assert.ok(services.includes(needed), `SERVICES lacks ${needed}`);
  }

  const probe = healthcheckTestOf(localstack)?.join(' ') ?? '';
  assert.match(probe, /\/_localstack\/(?:init\/ready|health)/, 'localstack healthcheck');
  assert.ok(
    stringList(localstack, 'ports').some((port) => port.endsWith(':4566')),
    'port 4566 is published',
  );
  assert.ok(
    stringList(localstack, 'volumes').some((volume) =>
      volume.startsWith('./localstack/init:/etc/localstack/init'),
    ),
    'the init hooks are mounted',
  );
});

test('mysql 8 has a mysqladmin healthcheck and a named volume', () => {
  const mysql = service('mysql');
  assert.match(scalarText(mysql.image, 'image'), /^mysql:8(?:\.\d+)*$/);
  assert.match(healthcheckTestOf(mysql)?.join(' ') ?? '', /mysqladmin ping/);
  const env = environmentOf(mysql);
  assert.equal(env.get('MYSQL_DATABASE'), 'codecraft');
  assert.equal(env.get('MYSQL_USER'), 'codecraft');
  const named = stringList(mysql, 'volumes')
    .map((volume) => volume.split(':')[0] ?? '')
    .filter((source) => /^\w[\w.-]*$/.test(source));
  assert.ok(named.length > 0, 'mysql data lives in a named volume');
  for (const volume of named)
    assert.ok(volume in mapping(compose.volumes, 'volumes'), `volume ${volume} is declared`);
});

test('bootstrap runs once, after localstack and mysql are healthy, from existing scripts', () => {
  const bootstrap = service('bootstrap');
  const deps = dependenciesOf(bootstrap);
  assert.equal(deps.get('localstack'), 'service_healthy');
  assert.equal(deps.get('mysql'), 'service_healthy');
  assert.equal(bootstrap.restart, 'no');
  assert.equal(buildTargetOf(bootstrap), 'api');

  const command = isStringArray(bootstrap.command) ? bootstrap.command.join(' ') : '';
  const scripts = [...command.matchAll(/node (dist\/\S+\.js)/g)].map(([, script = '']) => script);
  assert.deepEqual(scripts, ['dist/scripts/bootstrap.js', 'dist/scripts/migrate.js']);
  for (const script of scripts)
    assert.ok(repoFileExists(sourceOf(script)), `${sourceOf(script)} does not exist`);
});

test('api and worker start only after bootstrap completed successfully', () => {
  for (const name of ['api', 'worker']) {
    const deps = dependenciesOf(service(name));
    assert.equal(deps.get('bootstrap'), 'service_completed_successfully', `${name} -> bootstrap`);
    assert.equal(buildTargetOf(service(name)), name);
  }
  assert.ok(
    stringList(service('api'), 'ports').some((port) => port.endsWith(':3000')),
    'api publishes port 3000',
  );
});

test('every service_healthy dependency declares a healthcheck', () => {
  for (const name of serviceNames()) {
    for (const [dep, condition] of dependenciesOf(service(name))) {
      assert.ok(serviceNames().includes(dep), `${name} depends on unknown service ${dep}`);
      if (condition === 'service_healthy') {
        assert.ok(
          declaresHealthcheck(dep),
          `${name} waits for ${dep} to be healthy, but ${dep} has no healthcheck`,
        );
      }
    }
  }
});

test('build targets used by compose exist in the Dockerfile', () => {
  for (const name of serviceNames()) {
    const svc = service(name);
    if (!isMapping(svc.build)) continue;
    assert.equal(svc.build.dockerfile, dockerfilePath, `${name} build.dockerfile`);
    const target = buildTargetOf(svc);
    assert.ok(
      target !== undefined,
      `${name} builds without a target (the last stage is a Lambda image)`,
    );
    stage(target);
  }
});

test('the app services share one environment: the emulator, MySQL, auth on', () => {
  const shared = environmentOf(service('api'));
  for (const name of ['bootstrap', 'worker'])
    assert.deepEqual(environmentOf(service(name)), shared, name);
  assert.equal(shared.get('AWS_ENDPOINT_URL'), 'http://localstack:4566');
  assert.equal(shared.get('AWS_REGION'), 'us-east-1');
  assert.equal(shared.get('RESOURCE_PREFIX'), 'codecraft');
  assert.equal(shared.get('NODE_ENV'), 'development');
  assert.equal(shared.get('AUTH_MODE'), 'cognito');
  assert.equal(shared.get('LOG_FORMAT'), 'json');
  assert.match(
    shared.get('DATABASE_URL') ?? '',
    /^mysql:\/\/codecraft:[^@]+@mysql:3306\/codecraft$/,
  );
});

test('compose files hold no secret-looking literal', () => {
  const looksLikeAwsKeyId = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/;
  const looksLikeSecretKey = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/;
  const interpolated = /^\$\{\w+(?::?[-?][^}]*)?\}$/;
  for (const [file, model] of [
    ['docker-compose.yml', compose],
    ['docker-compose.moto.yml', motoOverride.model],
  ] as const) {
    for (const text of stringsIn(model)) {
      assert.doesNotMatch(text, looksLikeAwsKeyId, `${file}: AWS access key id in "${text}"`);
      assert.doesNotMatch(text, looksLikeSecretKey, `${file}: secret-looking value in "${text}"`);
      const [, urlPassword] = /:\/\/[^/:@\s]+:([^@\s]+)@/.exec(text) ?? [];
      if (urlPassword !== undefined)
        assert.match(urlPassword, interpolated, `${file}: password in a URL`);
    }
    for (const name of Object.keys(mapping(model.services, 'services'))) {
      for (const [key, value] of environmentOf(serviceIn(model, name))) {
        if (!/SECRET|PASSWORD|TOKEN|PRIVATE|ACCESS_KEY|API_KEY/i.test(key)) continue;
        assert.ok(
          value === '' || value === 'test' || interpolated.test(value),
          `${file}: ${name}.${key} must come from the environment (or be the dummy "test"), not a literal`,
        );
      }
    }
  }
  const example = readRepoFile('localstack/.env.example')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  for (const key of ['LOCALSTACK_AUTH_TOKEN', 'MYSQL_PASSWORD']) {
    assert.ok(example.includes(`${key}=`), `localstack/.env.example lists ${key}= with no value`);
  }
  for (const line of example) assert.match(line, /^\w+=$/, `.env.example holds a value: ${line}`);
});

// ---------------------------------------------------------------------------------------------
// docker-compose.moto.yml and LocalStack's hooks

test('the moto override swaps in a pinned moto image without the LocalStack settings', () => {
  const localstack = serviceIn(motoOverride.model, 'localstack');
  assert.match(
    scalarText(localstack.image, 'image'),
    /^motoserver\/moto:\d+\.\d+\.\d+$/,
    'pinned moto tag',
  );

  const launch = [
    ...(isStringArray(localstack.entrypoint) ? localstack.entrypoint : []),
    ...(isStringArray(localstack.command) ? localstack.command : []),
  ].join(' ');
  assert.match(launch, /-H 0\.0\.0\.0\b/, 'moto listens on every interface');
  assert.match(launch, /-p 4566\b/, 'moto listens on LocalStack port');

  assert.equal(
    motoOverride.tagOf(['services', 'localstack', 'environment']),
    '!override',
    'environment replaced',
  );
  assert.equal(environmentOf(localstack).has('LOCALSTACK_AUTH_TOKEN'), false);
  assert.equal(
    motoOverride.tagOf(['services', 'localstack', 'volumes']),
    '!reset',
    'init hooks unmounted',
  );
  assert.deepEqual(localstack.volumes, []);
  assert.equal(
    motoOverride.tagOf(['services', 'localstack', 'healthcheck']),
    '!override',
    'healthcheck replaced',
  );
  assert.match(healthcheckTestOf(localstack)?.join(' ') ?? '', /urllib.*\/moto-api\//);
});

test('the LocalStack init hooks are executable scripts', () => {
  const hookDirs = ['localstack/init/boot.d', 'localstack/init/ready.d'];
  const hooks = hookDirs.flatMap((dir) =>
    readdirSync(join(repoRoot, dir)).map((file) => `${dir}/${file}`),
  );
  assert.ok(hooks.includes('localstack/init/ready.d/10-verify.sh'));
  for (const hook of hooks) {
    assert.match(hook, /\.(?:sh|py)$/, `${hook}: LocalStack runs only .sh and .py hooks`);
    assert.notEqual(statSync(join(repoRoot, hook)).mode & 0o111, 0, `${hook} is not executable`);
    const text = readRepoFile(hook);
    if (hook.endsWith('.sh'))
      assert.match(text, /^#!\/bin\/(?:ba)?sh\n/, `${hook} needs a shebang`);
    assert.ok(
      text.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#')).length > 0,
      `${hook} is empty`,
    );
  }
  const verify = readRepoFile('localstack/init/ready.d/10-verify.sh');
  assert.match(verify, /awslocal ses verify-email-identity/);
  assert.match(verify, /no-reply@codecraft\.local/);
});
