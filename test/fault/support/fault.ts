import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '../../e2e/support/harness.js';

/**
 * The fault tier's tools: the private moto's PID (scripts/test.mjs --fault starts it for this tier
 * alone), freezing it, a bounded load loop, and summaries of what the clients saw.
 */

export function motoPid(): number {
  const pid = Number(process.env.CODECRAFT_FAULT_MOTO_PID);
  if (!Number.isInteger(pid) || pid <= 0)
    throw new Error(
      'CODECRAFT_FAULT_MOTO_PID is not set: run the fault tier with node scripts/test.mjs --fault',
    );
  return pid;
}

export interface Outage {
  readonly from: number;
  readonly to: number;
}

/**
 * Takes a dependency down at `afterMs` for `forMs` (`down`/`up`), and always brings it back, also
 * when the test fails or this process exits while it is down.
 */
export async function outage(
  afterMs: number,
  forMs: number,
  down: () => void,
  up: () => void,
): Promise<Outage> {
  await sleep(afterMs);
  let isDown = true;
  const restore = () => {
    if (isDown) up();
    isDown = false;
  };
  process.once('exit', restore);
  down();
  const from = Date.now();
  try {
    await sleep(forMs);
  } finally {
    restore();
    process.removeListener('exit', restore);
  }
  return { from, to: Date.now() };
}

/** SIGSTOP / SIGCONT of the tier's own moto: it keeps its sockets but answers nothing. */
export function freezeMoto(afterMs: number, forMs: number): Promise<Outage> {
  const pid = motoPid();
  return outage(
    afterMs,
    forMs,
    () => process.kill(pid, 'SIGSTOP'),
    () => process.kill(pid, 'SIGCONT'),
  );
}

export interface Sample {
  readonly client: number;
  readonly startedAt: number;
  readonly ms: number;
  /** 0: no answer within the client's own cap. */
  readonly status: number;
  readonly contentType: string;
  readonly retryAfter: string | null;
  readonly body: Record<string, unknown>;
}

export interface LoadOptions {
  readonly clients: number;
  readonly durationMs: number;
  /** Each request is abandoned after this long (it then counts as status 0). */
  readonly capMs: number;
  send(signal: AbortSignal, client: number, n: number): Promise<Response>;
}

/** `clients` loops sending requests back to back until `durationMs` has passed. */
export async function load(options: LoadOptions): Promise<Sample[]> {
  const samples: Sample[] = [];
  const end = Date.now() + options.durationMs;
  const loop = async (client: number) => {
    for (let n = 0; Date.now() < end; n++) {
      const startedAt = Date.now();
      try {
        const response = await options.send(AbortSignal.timeout(options.capMs), client, n);
        const text = await response.text();
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          body = { text };
        }
        samples.push({
          client,
          startedAt,
          ms: Date.now() - startedAt,
          status: response.status,
          contentType: response.headers.get('content-type') ?? '',
          retryAfter: response.headers.get('retry-after'),
          body,
        });
      } catch (error) {
        samples.push({
          client,
          startedAt,
          ms: Date.now() - startedAt,
          status: 0,
          contentType: '',
          retryAfter: null,
          body: { error: String(error) },
        });
        await sleep(100);
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, client) => loop(client)));
  return samples.sort((a, b) => a.startedAt - b.startedAt);
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

export interface Summary {
  readonly requests: number;
  readonly statuses: Record<string, number>;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

export function summarize(samples: readonly Sample[]): Summary {
  const statuses = tally(samples.map((s) => s.status));
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    requests: samples.length,
    statuses,
    p50Ms: percentile(ms, 50),
    p95Ms: percentile(ms, 95),
    maxMs: ms.at(-1) ?? 0,
  };
}

/** Requests that were waiting on the dependency while it was down (started before it came back). */
export function overlapping(samples: readonly Sample[], down: Outage): Sample[] {
  return samples.filter((s) => s.startedAt < down.to && s.startedAt + s.ms > down.from);
}

const faultDir = () => {
  const dir = join(process.cwd(), '.cache', 'fault');
  mkdirSync(dir, { recursive: true });
  return dir;
};

/** Keeps a run's figures in .cache/fault/<name>.json (the report quotes them). */
export function record(name: string, data: unknown): string {
  const file = join(faultDir(), `${name}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

/** A run's progress, line by line, in .cache/fault/<name>.log (started afresh by each run). */
export function progressLog(name: string): (text: string) => void {
  const file = join(faultDir(), `${name}.log`);
  writeFileSync(file, '');
  return (text) => {
    appendFileSync(file, `${new Date().toISOString()} ${text}\n`);
  };
}

/**
 * Polls `check` every `intervalMs` until it returns a value, or fails after `timeoutMs`. Slower
 * than the e2e `eventually`: here each look is a query the loaded emulator must also serve.
 */
export function poll<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs: number,
  what: string,
): Promise<T> {
  return eventually(check, timeoutMs, what, intervalMs);
}

/** How many times each value occurs: tally(['a', 'b', 'a']) → {a: 2, b: 1}. */
export function tally(values: Iterable<string | number>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

export const line = (summary: Summary) =>
  `${summary.requests} requests ${JSON.stringify(summary.statuses)} p50 ${summary.p50Ms} ms, p95 ${summary.p95Ms} ms, max ${summary.maxMs} ms`;
