import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const optionalUrl = z.url().optional();

/** Every environment variable the system reads, with its default. The README's table mirrors it. */
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
  })
  .superRefine((env, ctx) => {
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
