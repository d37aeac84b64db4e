/**
 * API cold start: time from `node dist/apps/api/src/main.js` to the first 200 on /health/live,
 * beside a bare node:http server measured the same way in the same run. Prints medians and the
 * ratio. Run: npm run bench -- api-boot   (RUNS=5 by default)
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startMoto } from '#emulator';

const runs = Math.min(Number(process.env.RUNS ?? 5), 20);
const moto = await startMoto();
const scratch = mkdtempSync(join(tmpdir(), 'bench-boot-'));
const env = {
  ...process.env,
  NODE_ENV: 'test',
  AWS_ENDPOINT_URL: moto.url,
  LOG_LEVEL: 'error',
  LOG_FORMAT: 'json',
  SQLITE_PATH: join(scratch, 'bench.sqlite'),
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

async function timeToFirstOk(args: string[], port: number): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...env, PORT: String(port) },
    stdio: 'ignore',
  });
  try {
    const deadline = started + 60_000;
    while (performance.now() < deadline) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/health/live`, {
          signal: AbortSignal.timeout(500),
        });
        if (response.ok) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`no answer within 60 s from ${args.join(' ')}`);
  } finally {
    child.kill('SIGKILL');
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const baselineScript =
  "require('node:http').createServer((q,s)=>s.end('ok')).listen(Number(process.env.PORT),'127.0.0.1')";

try {
  for (const script of ['bootstrap', 'migrate']) {
    spawnSync(process.execPath, [`dist/scripts/${script}.js`], { env, stdio: 'ignore' });
  }
  const api: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(await timeToFirstOk(['-e', baselineScript], await freePort()));
    api.push(await timeToFirstOk(['dist/apps/api/src/main.js'], await freePort()));
  }
  const apiMs = median(api);
  const bareMs = median(bare);
  console.log(`API boot to first /health/live 200, ${runs} runs (median)`);
  console.log(`  bare node:http server   ${bareMs.toFixed(0)} ms`);
  console.log(
    `  CodeCraft API           ${apiMs.toFixed(0)} ms   (all: ${api.map((v) => v.toFixed(0)).join(', ')})`,
  );
  console.log(`  ratio                   ${(apiMs / bareMs).toFixed(1)}x the bare server`);
} finally {
  await moto.stop();
  rmSync(scratch, { recursive: true, force: true });
}
