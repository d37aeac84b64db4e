export const RIE_MODULE: string;
export const RIE_VERSION: string;
export const RIC_VERSION: string;
export const cacheDir: string;

export type FunctionKind = 'api' | 'worker';
export const HANDLERS: Readonly<Record<FunctionKind, string>>;

export function ensureLambdaRuntime(log?: (message: string) => void): void;
export function layoutImage(kind: FunctionKind): string;

export interface InvokeResult {
  /** RIE's HTTP status: 200 for a function error too (the body then carries errorType). */
  readonly statusCode: number;
  /** The response payload parsed as JSON, undefined when it is not JSON. */
  readonly body: unknown;
  readonly raw: string;
}

export interface RunningFunction {
  readonly url: string;
  /** One at a time, as one execution environment takes them (RIE refuses a concurrent invoke). */
  invoke(event: unknown): Promise<InvokeResult>;
  /** RIE's log and the function's stdout and stderr so far. */
  output(): string;
  /** From RIE's `INIT REPORT` line; undefined before the first invoke. */
  initDurationMs(): number | undefined;
  stop(): Promise<void>;
}

export function startFunction(options: {
  kind: FunctionKind;
  env?: Record<string, string | undefined>;
  port?: number;
  memoryMb?: number;
  timeoutSeconds?: number;
}): Promise<RunningFunction>;
