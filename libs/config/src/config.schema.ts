import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const optionalUrl = z.url().optional();

/** Every environment variable the system reads, with its default. docs/configuration.md mirrors it. */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
    CORS_ORIGINS: z.string().default(''),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(900_000).default(25_000),

    AWS_REGION: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must look like eu-west-1')
      .default('us-east-1'),
    AWS_ENDPOINT_URL: optionalUrl,
    // Per-service endpoints, under the AWS SDK's own names; each wins over AWS_ENDPOINT_URL for
    // its service (LocalStack for most services, moto for DynamoDB and Cognito, for example).
    AWS_ENDPOINT_URL_S3: optionalUrl,
    AWS_ENDPOINT_URL_SQS: optionalUrl,
    AWS_ENDPOINT_URL_DYNAMODB: optionalUrl,
    AWS_ENDPOINT_URL_EVENTBRIDGE: optionalUrl,
    AWS_ENDPOINT_URL_SES: optionalUrl,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: optionalUrl,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: optionalUrl,
    AWS_ENDPOINT_URL_CLOUDWATCH: optionalUrl,
    AWS_ENDPOINT_URL_STS: optionalUrl,
    // Every SDK call: TCP connect, then one attempt from sending the request to the response
    // headers (3 attempts per call); S3 object transfers get a longer budget for their bytes.
    AWS_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
    AWS_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(3000),
    AWS_TRANSFER_TIMEOUT_MS: z.coerce.number().int().min(1000).max(900_000).default(60_000),
    RESOURCE_PREFIX: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,30}[a-z0-9]$/, 'lower-case letters, digits and dashes, 3-32 chars')
      .default('codecraft'),

    DATABASE_URL: z
      .string()
      .regex(/^mysql:\/\/[^/]+\/\w+/, 'must be mysql://user:password@host:port/database')
      .optional(),
    DB_SECRET_ID: z.string().min(1).optional(),
    SQLITE_PATH: z.string().min(1).default('data/codecraft.sqlite'),
    DB_MIGRATIONS_RUN: bool.optional(),

    AUTH_MODE: z.enum(['cognito', 'off']).default('cognito'),
    COGNITO_USER_POOL_ID: z
      .string()
      .regex(/^[\w-]+_[0-9a-zA-Z]+$/, 'must look like us-east-1_AbC123')
      .optional(),
    COGNITO_CLIENT_ID: z.string().min(1).optional(),
    COGNITO_JWKS_URI: optionalUrl,
    DEMO_USER_EMAIL: z.email().default('demo@codecraft.local'),

    SES_FROM_ADDRESS: z.email().default('no-reply@codecraft.local'),
    // Secrets Manager id of the sender address; unset: `{RESOURCE_PREFIX}/ses-sender`.
    SES_SENDER_SECRET_ID: z.string().min(1).optional(),
    SECRETS_CACHE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
    METRICS_NAMESPACE: z
      .string()
      .regex(/^[\w./#:-]{1,255}$/, 'a CloudWatch namespace')
      .default('CodeCraft'),

    // Outboxes (projects' SQL one, the bank's DynamoDB one): relay right after a commit, in the
    // request that committed, so events leave at once in Lambda mode too; the schedule stays the
    // safety net. Off: only the scheduled relay sends (tests that drive the relay by hand).
    OUTBOX_RELAY_ON_COMMIT: bool.default(true),
    OUTBOX_RELAY_ON_COMMIT_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3000),

    // Bank: retention of Idempotency-Key records of operations, and the scheduler's batch size.
    BANK_IDEMPOTENCY_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(24),
    BANK_SCHEDULER_BATCH: z.coerce.number().int().min(1).max(500).default(50),

    // The longest an API handler may take before the client gets 503 (below API Gateway's 30 s);
    // streamed uploads and large object reads are exempt (see NoRequestDeadline).
    HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(900_000).default(25_000),
    // Rate limiting of the API, per caller (the verified user, else the client address), counted
    // in DynamoDB so every API process and Lambda instance shares one budget. A counter that does
    // not answer within RATE_LIMIT_TIMEOUT_MS lets the request through (logged).
    RATE_LIMIT_ENABLED: bool.default(true),
    RATE_LIMIT_REQUESTS: z.coerce.number().int().min(1).max(1_000_000).default(600),
    RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    RATE_LIMIT_TIMEOUT_MS: z.coerce.number().int().min(50).max(5000).default(500),
    // Proxies in front of the API whose X-Forwarded-For entries are trusted for the client
    // address: 0 when clients connect directly (and in Lambda, where the address is API
    // Gateway's sourceIp); 1 behind one load balancer. Never more than there are: the entries
    // left of them are the client's to forge.
    HTTP_TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),

    HTTP_BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(50 * 1024 * 1024)
      .default(8 * 1024 * 1024),

    WORKER_HEARTBEAT_FILE: z.string().min(1).optional(),
    WORKER_POLL_WAIT_SECONDS: z.coerce.number().int().min(0).max(20).default(20),
    WORKER_BATCH_SIZE: z.coerce.number().int().min(1).max(10).default(10),

    // Jobs: payload cap (the job item must stay under DynamoDB's 400 KB), retry budget, lease,
    // sweeper threshold, retention of finished jobs and of Idempotency-Key records.
    JOBS_MAX_PAYLOAD_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(350 * 1024)
      .default(256 * 1024),
    JOBS_DEFAULT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
    JOBS_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
    JOBS_SWEEP_AFTER_SECONDS: z.coerce.number().int().min(1).max(86_400).default(120),
    JOBS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    JOBS_IDEMPOTENCY_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(24),

    // Files: size caps per upload path, allowed (sniffed) content types, presigned URL lifetimes,
    // and the S3 endpoint clients reach when it differs from the API's (docker compose).
    FILES_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(5 * 1024 ** 3)
      .default(25 * 1024 * 1024),
    FILES_BASE64_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(50 * 1024 * 1024)
      .default(4 * 1024 * 1024),
    FILES_PRESIGNED_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(5 * 1024 ** 3)
      .default(1024 ** 3),
    FILES_ALLOWED_TYPES: z
      .string()
      .regex(
        /^\s*[\w.+-]+\/[\w.+-]+\s*(,\s*[\w.+-]+\/[\w.+-]+\s*)*$/,
        'comma-separated MIME types, e.g. application/pdf,image/png',
      )
      .optional(),
    FILES_UPLOAD_URL_EXPIRY_SECONDS: z.coerce.number().int().min(30).max(3600).default(600),
    FILES_DOWNLOAD_URL_EXPIRY_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
    FILES_PUBLIC_ENDPOINT_URL: optionalUrl,

    // Images: upload cap, decoder pixel limit (decompression bombs), variants and formats,
    // presigned URL lifetime, worker concurrency and sharp's thread pool per image.
    IMAGES_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(1024 ** 3)
      .default(50 * 1024 * 1024),
    IMAGES_MAX_INPUT_PIXELS: z.coerce
      .number()
      .int()
      .min(1)
      .max(0x3fff * 0x3fff)
      .default(50_000_000),
    IMAGES_VARIANTS: z
      .string()
      .regex(
        /^\s*[a-z][a-z0-9-]{0,19}:\d{1,4}\s*(,\s*[a-z][a-z0-9-]{0,19}:\d{1,4}\s*)*$/,
        'comma-separated name:size pairs, e.g. thumb:128,medium:512,large:1280',
      )
      .default('thumb:128,medium:512,large:1280'),
    IMAGES_AVIF: bool.default(false),
    IMAGES_URL_EXPIRY_SECONDS: z.coerce.number().int().min(5).max(3600).default(300),
    IMAGES_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
    IMAGES_SHARP_THREADS: z.coerce.number().int().min(0).max(64).default(1),
  })
  .superRefine((env, ctx) => {
    const variants = env.IMAGES_VARIANTS.split(',').map((v) => v.trim().split(':'));
    const variantNames = variants.map(([name]) => name);
    if (
      new Set(variantNames).size !== variantNames.length ||
      variantNames.some((name) => name === 'original' || name === 'resized') ||
      variants.some(([, size]) => Number(size) < 16 || Number(size) > 4096)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['IMAGES_VARIANTS'],
        message: 'variant names must be unique (not original/resized), sizes 16 to 4096',
      });
    }
    if (env.AWS_CONNECT_TIMEOUT_MS > env.AWS_REQUEST_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['AWS_CONNECT_TIMEOUT_MS'],
        message:
          'must not exceed AWS_REQUEST_TIMEOUT_MS (the request timeout includes the connect)',
      });
    }
    if (env.AWS_TRANSFER_TIMEOUT_MS < env.AWS_REQUEST_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['AWS_TRANSFER_TIMEOUT_MS'],
        message: 'must be at least AWS_REQUEST_TIMEOUT_MS',
      });
    }
    if (env.NODE_ENV === 'production' && env.AUTH_MODE === 'off') {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_MODE'],
        message: 'AUTH_MODE=off is refused when NODE_ENV=production',
      });
    }
    if (env.NODE_ENV === 'production' && !env.DATABASE_URL && !env.DB_SECRET_ID) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message:
          'production needs DATABASE_URL or DB_SECRET_ID (the embedded SQLite file is for development)',
      });
    }
  });

export type RawEnv = z.input<typeof configSchema>;
export type Env = z.output<typeof configSchema>;
