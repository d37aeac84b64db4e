import { AppConfig } from '#libs/config';

export type Stage = 'dev' | 'prod';
export type CpuArchitecture = 'arm64' | 'x86_64';

/** Where the two Lambda images come from. */
export type ImageSource =
  /** Built from docker/Dockerfile at deploy time (CDK builds assets on publish, never at synth). */
  | { readonly kind: 'asset'; readonly repoRoot: string }
  /** Already pushed: `<repository>:<tag>` in this account's ECR (CI builds and pushes them). */
  | {
      readonly kind: 'ecr';
      readonly apiRepository: string;
      readonly workerRepository: string;
      readonly tag: string;
    };

/** What may differ between two deployments of the stack; everything else is the manifest's. */
export interface StackSettings {
  /** RESOURCE_PREFIX of the apps: every physical name starts with it. */
  readonly prefix: string;
  /** prod keeps data on stack deletion and protects it; dev may be thrown away. */
  readonly stage: Stage;
  readonly architecture: CpuArchitecture;
  readonly images: ImageSource;
  /** Default-stage throttling of the HTTP API (requests per second, burst). */
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
}

/** A CDK context value (`-c key=value` on the command line, or cdk.json). */
export type ContextReader = (key: string) => unknown;

function text(read: ContextReader, key: string, fallback: string): string {
  const value = read(key);
  if (value === undefined || value === '') return fallback;
  if (typeof value !== 'string') throw new Error(`context ${key} must be a string`);
  return value;
}

function positiveInt(read: ContextReader, key: string, fallback: number): number {
  const raw = read(key);
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`context ${key} must be an integer >= 1`);
  return value;
}

function oneOf<T extends string>(
  read: ContextReader,
  key: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = text(read, key, fallback);
  if (!(allowed as readonly string[]).includes(value))
    throw new Error(`context ${key} must be one of ${allowed.join(', ')} (got ${value})`);
  return value as T;
}

/**
 * Reads the stack's settings from CDK context, every key optional:
 *
 *   prefix=codecraft           RESOURCE_PREFIX (validated by the apps' own config schema)
 *   stage=dev|prod
 *   architecture=arm64|x86_64  of both functions (the images must be built for it)
 *   buildImages=true           build the images from docker/Dockerfile on deploy; otherwise
 *   imageTag=latest            take <prefix>-lambda-api:<tag> and <prefix>-lambda-worker:<tag>
 *   apiImageRepository=...     (or these repositories) from this account's ECR
 *   workerImageRepository=...
 *   apiRateLimit=50 apiBurstLimit=100
 */
export function readSettings(read: ContextReader, repoRoot: string): StackSettings {
  // The same rule as the apps' RESOURCE_PREFIX, from the same schema: one definition of a prefix.
  const prefix = AppConfig.fromEnv({ RESOURCE_PREFIX: text(read, 'prefix', 'codecraft') }).prefix;
  const buildImages = text(read, 'buildImages', 'false');
  if (buildImages !== 'true' && buildImages !== 'false')
    throw new Error('context buildImages must be true or false');
  return {
    prefix,
    stage: oneOf(read, 'stage', ['dev', 'prod'], 'dev'),
    architecture: oneOf(read, 'architecture', ['arm64', 'x86_64'], 'arm64'),
    images:
      buildImages === 'true'
        ? { kind: 'asset', repoRoot }
        : {
            kind: 'ecr',
            apiRepository: text(read, 'apiImageRepository', `${prefix}-lambda-api`),
            workerRepository: text(read, 'workerImageRepository', `${prefix}-lambda-worker`),
            tag: text(read, 'imageTag', 'latest'),
          },
    apiThrottle: {
      rateLimit: positiveInt(read, 'apiRateLimit', 50),
      burstLimit: positiveInt(read, 'apiBurstLimit', 100),
    },
  };
}
