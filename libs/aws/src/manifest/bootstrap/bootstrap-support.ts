import type { ResourceNames } from '../../resource-names.js';

export type Outcome = 'created' | 'updated' | 'unchanged';
export interface BootstrapStep {
  readonly kind: string;
  readonly name: string;
  readonly outcome: Outcome;
}

export interface BootstrapOptions {
  readonly names: ResourceNames;
  readonly senderAddress: string;
  readonly demoUserEmail: string;
  /** METRICS_NAMESPACE: where alarms on the apps' own (EMF) metrics look. */
  readonly metricsNamespace: string;
  /** Emulator only: create the demo user and generated secrets. */
  readonly local: boolean;
  readonly onStep?: (step: BootstrapStep) => void;
}

/** The steps of one run, in order; each is reported as it happens. */
export class StepLog {
  readonly steps: BootstrapStep[] = [];

  constructor(private readonly onStep?: (step: BootstrapStep) => void) {}

  record(kind: string, name: string, outcome: Outcome): void {
    const step = { kind, name, outcome };
    this.steps.push(step);
    this.onStep?.(step);
  }
}

/** `updated` once anything changed on an existing resource (a created one stays `created`). */
export function changed(outcome: Outcome): Outcome {
  return outcome === 'unchanged' ? 'updated' : outcome;
}

/** Equal strings, or equal JSON documents (emulators re-serialise policies and patterns). */
export function sameJson(current: string | undefined, wanted: string): boolean {
  if (current === wanted) return true;
  if (current === undefined) return false;
  try {
    return JSON.stringify(JSON.parse(current)) === JSON.stringify(JSON.parse(wanted));
  } catch {
    return false;
  }
}

export function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`AWS returned no ${what}`);
  return value;
}
