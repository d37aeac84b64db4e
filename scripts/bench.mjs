// npm run bench [-- name ...]: runs the compiled benchmarks in dist/bench (all by default).
// Benchmarks print figures; they never assert timings.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dir = join(root, 'dist', 'bench');
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.js'))
  .map((f) => f.slice(0, -3));
const wanted = process.argv.slice(2);
const selected = wanted.length > 0 ? wanted : available;
for (const name of selected) {
  if (!available.includes(name)) {
    console.error(`unknown benchmark ${name}; available: ${available.join(', ')}`);
    process.exit(1);
  }
  console.log(`\n### ${name}`);
  const result = spawnSync(process.execPath, [join(dir, `${name}.js`)], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
