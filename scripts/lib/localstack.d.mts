import type { ChildProcess } from 'node:child_process';

export const LOCALSTACK_VERSION: string;
export const LOCALSTACK_REQUIREMENTS: readonly string[];
export const DEFAULT_LOCALSTACK_SERVICES: readonly string[];
export const localstackVenvDir: string;
export function findLocalStackPython(): string;
export function ensureLocalStack(log?: (message: string) => void): void;
export interface RunningLocalStack {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}
export interface LocalStackOptions {
  /** Loopback port; a free one by default. */
  port?: number;
  /** LocalStack SERVICES names; default s3, sqs, events, ses, secretsmanager, sts. */
  services?: readonly string[];
  /** Keep LocalStack's output off stderr (default true). */
  quiet?: boolean;
  /** Also write LocalStack's output to this file. */
  logFile?: string;
  /** Load every service before returning (default true); false: healthy sooner, slow first calls. */
  eager?: boolean;
  /** How long to wait for health (default 60 s). */
  timeoutMs?: number;
  /** Extra LocalStack configuration variables, e.g. { LS_LOG: 'debug' }. */
  env?: Readonly<Record<string, string>>;
}
export function startLocalStack(options?: LocalStackOptions): Promise<RunningLocalStack>;
