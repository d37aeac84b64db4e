import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const CORRELATION_HEADER = 'x-correlation-id';
/** SQS message attribute / EventBridge detail field carrying the id across hops. */
export const CORRELATION_ATTRIBUTE = 'correlationId';

interface CorrelationStore {
  readonly correlationId: string;
}

const storage = new AsyncLocalStorage<CorrelationStore>();

/** Accepts a caller's id when it is sane (printable, bounded); otherwise mints a new one. */
export function normalizeCorrelationId(candidate: unknown): string {
  if (typeof candidate === 'string' && /^[\w.:-]{1,128}$/.test(candidate)) return candidate;
  return randomUUID();
}

/** Runs `fn` with a correlation id visible to every log line and outgoing message inside it. */
export function withCorrelationId<T>(correlationId: string, fn: () => T): T {
  return storage.run({ correlationId }, fn);
}

export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}
