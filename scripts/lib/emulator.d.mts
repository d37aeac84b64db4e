import type { ChildProcess } from 'node:child_process';

export const MOTO_VERSION: string;
export const venvDir: string;
export function ensureMoto(log?: (message: string) => void): void;
export function freePort(): Promise<number>;
export interface RunningMoto {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}
export function startMoto(options?: { port?: number; quiet?: boolean }): Promise<RunningMoto>;
export function refuseInsideE2e(what: string): void;
