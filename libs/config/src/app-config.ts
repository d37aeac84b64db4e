import { configSchema, type Env } from './config.schema.js';

/** FILES_ALLOWED_TYPES when unset: documents, pictures, text and archives; nothing a browser runs. */
export const DEFAULT_ALLOWED_FILE_TYPES: readonly string[] = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'text/plain',
  'text/csv',
  'text/markdown',
  'application/json',
  'application/zip',
  'application/gzip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
];

/** `thumb:128,medium:512` → [{name: 'thumb', size: 128}, ...] (format checked by the schema). */
export function parseImageVariants(value: string): { name: string; size: number }[] {
  return value.split(',').map((pair) => {
    const [name = '', size = ''] = pair.trim().split(':');
    return { name, size: Number(size) };
  });
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The AWS services CodeCraft calls, by the suffix of the SDK's `AWS_ENDPOINT_URL_<SERVICE>`. */
export const AWS_SERVICES = [
  'S3',
  'SQS',
  'DYNAMODB',
  'EVENTBRIDGE',
  'SES',
  'SECRETS_MANAGER',
  'COGNITO_IDENTITY_PROVIDER',
  'CLOUDWATCH',
  'STS',
] as const;
export type AwsService = (typeof AWS_SERVICES)[number];

/** SDK attempts per AWS call: the first try and two retries. */
export const AWS_MAX_ATTEMPTS = 3;
/**
 * Most the SDK's standard retry strategy sleeps between those attempts in one call: up to 50 +
 * 100 ms after timeouts and connection errors, up to 1 + 2 s after throttling.
 */
export const AWS_RETRY_BACKOFF_BOUND_MS = 3000;

export interface AwsTimeouts {
  /** A new TCP connection must be established within this (AWS_CONNECT_TIMEOUT_MS). */
  readonly connectMs: number;
  /**
   * One attempt, from sending the request to the response headers, connect included
   * (AWS_REQUEST_TIMEOUT_MS). SQS long polls get their wait on top; uploads get `transferMs`.
   */
  readonly requestMs: number;
  /**
   * S3 object transfers (AWS_TRANSFER_TIMEOUT_MS): the deadline of one upload request (a multipart
   * part or a single PUT) including its bytes, which stalls after `requestMs` without progress;
   * and the longest an object body being read may deliver nothing.
   */
  readonly transferMs: number;
  readonly maxAttempts: number;
  /** Worst case of one (non-upload, non-long-poll) call: maxAttempts × requestMs + backoff. */
  readonly callBoundMs: number;
}

export interface AwsSettings {
  readonly region: string;
  /** AWS_ENDPOINT_URL: the emulator (moto, LocalStack) for every service without its own. */
  readonly endpoint: string | undefined;
  /** Each service's endpoint: its AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL; undefined is AWS. */
  readonly endpoints: Readonly<Record<AwsService, string | undefined>>;
  /** True when any endpoint is set: the code talks to emulators, not to AWS. */
  readonly emulated: boolean;
  /** Credentials are only set for an emulator; on AWS the default provider chain applies. */
  readonly credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  readonly timeouts: AwsTimeouts;
}

export type DatabaseSettings =
  | {
      readonly kind: 'mysql';
      readonly url: string | undefined;
      readonly secretId: string | undefined;
    }
  | { readonly kind: 'sqlite'; readonly path: string };

/** The typed, validated configuration. Built once at boot; injected everywhere else. */
export class AppConfig {
  readonly env: Env['NODE_ENV'];
  readonly port: number;
  readonly log: { level: Env['LOG_LEVEL']; pretty: boolean };
  readonly corsOrigins: readonly string[];
  readonly bodyLimitBytes: number;
  /** The longest an API handler may take before answering 503 (HTTP_REQUEST_TIMEOUT_MS). */
  readonly requestTimeoutMs: number;
  /** X-Forwarded-For hops trusted for the client address (HTTP_TRUST_PROXY_HOPS). */
  readonly trustProxyHops: number;
  /** Per-caller limits of the API, counted in the shared `rate-limits` table. */
  readonly rateLimit: {
    readonly enabled: boolean;
    /** Requests a caller may make per window. */
    readonly requests: number;
    readonly windowSeconds: number;
    /** The counter's deadline; past it the request goes through (fail open). */
    readonly timeoutMs: number;
  };
  readonly shutdownTimeoutMs: number;
  readonly prefix: string;
  readonly aws: AwsSettings;
  readonly database: DatabaseSettings;
  readonly migrationsRun: boolean;
  readonly auth: {
    readonly mode: Env['AUTH_MODE'];
    readonly userPoolId: string | undefined;
    readonly clientId: string | undefined;
    readonly jwksUri: string | undefined;
    readonly demoUserEmail: string;
  };
  readonly ses: {
    /** Fallback sender when the sender secret does not exist. */
    readonly fromAddress: string;
    readonly senderSecretId: string | undefined;
  };
  readonly secretsCacheSeconds: number;
  readonly metricsNamespace: string;
  readonly outbox: {
    /** Relay right after the committing transaction, before the request answers. */
    readonly relayOnCommit: boolean;
    /** How long that relay may hold the request; the schedule sends whatever is left. */
    readonly relayOnCommitTimeoutMs: number;
  };
  readonly bank: {
    readonly idempotencyTtlHours: number;
    /** Due schedules one scheduler run books at most. */
    readonly schedulerBatch: number;
  };
  readonly worker: {
    readonly heartbeatFile: string | undefined;
    readonly pollWaitSeconds: number;
    readonly batchSize: number;
  };
  readonly jobs: {
    readonly maxPayloadBytes: number;
    readonly defaultMaxAttempts: number;
    readonly leaseSeconds: number;
    readonly sweepAfterSeconds: number;
    readonly retentionDays: number;
    readonly idempotencyTtlHours: number;
  };
  readonly files: {
    /** Multipart uploads through the API (streamed). */
    readonly maxBytes: number;
    /** Decoded size cap of the base64 JSON route (POST /upload). */
    readonly base64MaxBytes: number;
    /** Presigned uploads straight to S3. */
    readonly presignedMaxBytes: number;
    /** Content types accepted after sniffing (lower case, no parameters). */
    readonly allowedTypes: readonly string[];
    readonly uploadUrlExpirySeconds: number;
    readonly downloadUrlExpirySeconds: number;
    /** S3 endpoint written into presigned URLs; undefined means the S3 client's own endpoint. */
    readonly publicEndpoint: string | undefined;
  };
  readonly images: {
    /** Multipart and presigned uploads of an original (base64 uses files.base64MaxBytes). */
    readonly maxBytes: number;
    /** sharp's limitInputPixels: larger declared dimensions are refused before decoding. */
    readonly maxInputPixels: number;
    /** Variants made of every image (name → longest side in pixels), in order. */
    readonly variants: readonly { readonly name: string; readonly size: number }[];
    /** Also encode every variant as AVIF (slow to encode; off by default). */
    readonly avif: boolean;
    readonly urlExpirySeconds: number;
    /** Images one worker process decodes at once. */
    readonly workerConcurrency: number;
    /** libvips threads per image (sharp.concurrency); 0 means one per core. */
    readonly sharpThreads: number;
  };

  constructor(env: Env, emulatorCredentials: AwsSettings['credentials']) {
    this.env = env.NODE_ENV;
    this.port = env.PORT;
    this.log = {
      level: env.LOG_LEVEL,
      pretty: (env.LOG_FORMAT ?? (env.NODE_ENV === 'development' ? 'pretty' : 'json')) === 'pretty',
    };
    this.corsOrigins = env.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    this.shutdownTimeoutMs = env.SHUTDOWN_TIMEOUT_MS;
    this.bodyLimitBytes = env.HTTP_BODY_LIMIT_BYTES;
    this.requestTimeoutMs = env.HTTP_REQUEST_TIMEOUT_MS;
    this.trustProxyHops = env.HTTP_TRUST_PROXY_HOPS;
    this.rateLimit = {
      enabled: env.RATE_LIMIT_ENABLED,
      requests: env.RATE_LIMIT_REQUESTS,
      windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
      timeoutMs: env.RATE_LIMIT_TIMEOUT_MS,
    };
    this.prefix = env.RESOURCE_PREFIX;
    const endpoints = Object.fromEntries(
      AWS_SERVICES.map((service) => [
        service,
        env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL,
      ]),
    ) as Record<AwsService, string | undefined>;
    const emulated = Object.values(endpoints).some(Boolean);
    this.aws = {
      region: env.AWS_REGION,
      endpoint: env.AWS_ENDPOINT_URL,
      endpoints,
      emulated,
      credentials: emulated ? emulatorCredentials : undefined,
      timeouts: {
        connectMs: env.AWS_CONNECT_TIMEOUT_MS,
        requestMs: env.AWS_REQUEST_TIMEOUT_MS,
        transferMs: env.AWS_TRANSFER_TIMEOUT_MS,
        maxAttempts: AWS_MAX_ATTEMPTS,
        callBoundMs: AWS_MAX_ATTEMPTS * env.AWS_REQUEST_TIMEOUT_MS + AWS_RETRY_BACKOFF_BOUND_MS,
      },
    };
    this.database =
      env.DATABASE_URL || env.DB_SECRET_ID
        ? { kind: 'mysql', url: env.DATABASE_URL, secretId: env.DB_SECRET_ID }
        : { kind: 'sqlite', path: env.SQLITE_PATH };
    this.migrationsRun = env.DB_MIGRATIONS_RUN ?? env.NODE_ENV !== 'production';
    this.auth = {
      mode: env.AUTH_MODE,
      userPoolId: env.COGNITO_USER_POOL_ID,
      clientId: env.COGNITO_CLIENT_ID,
      jwksUri: env.COGNITO_JWKS_URI,
      demoUserEmail: env.DEMO_USER_EMAIL,
    };
    this.ses = { fromAddress: env.SES_FROM_ADDRESS, senderSecretId: env.SES_SENDER_SECRET_ID };
    this.secretsCacheSeconds = env.SECRETS_CACHE_SECONDS;
    this.metricsNamespace = env.METRICS_NAMESPACE;
    this.outbox = {
      relayOnCommit: env.OUTBOX_RELAY_ON_COMMIT,
      relayOnCommitTimeoutMs: env.OUTBOX_RELAY_ON_COMMIT_TIMEOUT_MS,
    };
    this.bank = {
      idempotencyTtlHours: env.BANK_IDEMPOTENCY_TTL_HOURS,
      schedulerBatch: env.BANK_SCHEDULER_BATCH,
    };
    this.worker = {
      heartbeatFile: env.WORKER_HEARTBEAT_FILE,
      pollWaitSeconds: env.WORKER_POLL_WAIT_SECONDS,
      batchSize: env.WORKER_BATCH_SIZE,
    };
    this.jobs = {
      maxPayloadBytes: env.JOBS_MAX_PAYLOAD_BYTES,
      defaultMaxAttempts: env.JOBS_DEFAULT_MAX_ATTEMPTS,
      leaseSeconds: env.JOBS_LEASE_SECONDS,
      sweepAfterSeconds: env.JOBS_SWEEP_AFTER_SECONDS,
      retentionDays: env.JOBS_RETENTION_DAYS,
      idempotencyTtlHours: env.JOBS_IDEMPOTENCY_TTL_HOURS,
    };
    this.files = {
      maxBytes: env.FILES_MAX_BYTES,
      base64MaxBytes: env.FILES_BASE64_MAX_BYTES,
      presignedMaxBytes: env.FILES_PRESIGNED_MAX_BYTES,
      allowedTypes: env.FILES_ALLOWED_TYPES
        ? env.FILES_ALLOWED_TYPES.split(',').map((t) => t.trim().toLowerCase())
        : DEFAULT_ALLOWED_FILE_TYPES,
      uploadUrlExpirySeconds: env.FILES_UPLOAD_URL_EXPIRY_SECONDS,
      downloadUrlExpirySeconds: env.FILES_DOWNLOAD_URL_EXPIRY_SECONDS,
      publicEndpoint: env.FILES_PUBLIC_ENDPOINT_URL,
    };
    this.images = {
      maxBytes: env.IMAGES_MAX_BYTES,
      maxInputPixels: env.IMAGES_MAX_INPUT_PIXELS,
      variants: parseImageVariants(env.IMAGES_VARIANTS),
      avif: env.IMAGES_AVIF,
      urlExpirySeconds: env.IMAGES_URL_EXPIRY_SECONDS,
      workerConcurrency: env.IMAGES_WORKER_CONCURRENCY,
      sharpThreads: env.IMAGES_SHARP_THREADS,
    };
  }

  get isProduction(): boolean {
    return this.env === 'production';
  }

  /** Physical name of a logical resource: `${prefix}-${name}`. */
  name(logical: string): string {
    return `${this.prefix}-${logical}`;
  }

  /**
   * Validates an environment. Empty strings count as unset, so `FOO=` in a .env file falls back to
   * the default instead of failing. Throws a ConfigError naming every bad variable.
   */
  static fromEnv(source: NodeJS.ProcessEnv = process.env): AppConfig {
    const cleaned = Object.fromEntries(
      Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
    );
    const result = configSchema.safeParse(cleaned);
    if (!result.success) {
      throw new ConfigError(
        result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
      );
    }
    const key = source.AWS_ACCESS_KEY_ID;
    const secret = source.AWS_SECRET_ACCESS_KEY;
    // Emulators accept any credentials; default to the conventional dummy pair so a laptop needs none.
    const emulatorCredentials =
      key && secret
        ? { accessKeyId: key, secretAccessKey: secret }
        : { accessKeyId: 'test', secretAccessKey: 'test' };
    return new AppConfig(result.data, emulatorCredentials);
  }
}
