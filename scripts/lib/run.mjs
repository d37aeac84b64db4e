import { spawnSync } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;

/**
 * Runs a tool to completion from the repository root, its output captured as text (up to 64 MiB).
 * Throws when the command cannot be started at all; a non-zero exit is the caller's to judge.
 */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
  if (result.error) throw result.error;
  return result;
}
