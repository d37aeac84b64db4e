/**
 * Images, side by side in one run, on one generated corpus of photo-like JPEG and PNG images:
 *  1. the 128x128 thumbnail (cover crop, EXIF auto-orient, the original's format), one core each
 *     (taskset + one libvips / libuv thread; Pillow is single-threaded): CodeCraft's ImageResizer,
 *     bare sharp, and Pillow as the original design used it. images/s and peak RSS, and ratios.
 *     Plus the worker's full rendering (thumbnail + every variant in WebP and the original format).
 *  2. end to end against moto: the corpus put under images/originals/ (S3 → SQS events), then the
 *     worker process started; images/s until every item is READY.
 * Run: npm run bench -- images        (IMAGES=20 MIN_MP=12 MAX_MP=24 by default; IMAGES=200 is the
 * issue's corpus and takes ~10 minutes to generate on a 2-core machine: CORPUS_DIR=<dir> keeps it
 * for the next run; PYTHON picks the Python that has PIL, default python3 then /usr/bin/python3 —
 * Debian's python3-pil)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import sharp, { type Sharp } from 'sharp';
import { startMoto } from '#emulator';
import { createAwsClients, destroyAwsClients, ResourceNames } from '#libs/aws';
import { AppConfig } from '#libs/config';
import { imageIdForKey } from '#libs/images';
import { peakRssMb, type RunFigures } from './support/images-child.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const COUNT = Math.max(2, Math.min(Number(process.env.IMAGES ?? 20), 1000));
const MIN_MP = Number(process.env.MIN_MP ?? 12);
const MAX_MP = Math.max(MIN_MP, Number(process.env.MAX_MP ?? 24));
const E2E_TIMEOUT_MS = 15 * 60_000;
/** Keep (and reuse) the generated corpus here instead of a temporary folder. */
const CORPUS_DIR = process.env.CORPUS_DIR;
/**
 * The malloc setting the containers run with (docker/Dockerfile): glibc otherwise gives each
 * libvips thread its own arenas, which fragment over many large images. Every Node contender and
 * the end-to-end worker get it, so the comparison stays like for like; Pillow is single-threaded.
 */
const MALLOC = { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' };
const CHILD = join(import.meta.dirname, 'support', 'images-child.js');

const PILLOW = `
import io, json, os, re, sys, time
from PIL import Image, ImageOps
def hwm():
    return int(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1)) / 1024
d = sys.argv[1]
files = sorted(os.listdir(d))
idle = hwm()
by_format = {}
start = time.perf_counter()
for f in files:
    file_start = time.perf_counter()
    with Image.open(os.path.join(d, f)) as im:
        im = ImageOps.exif_transpose(im)
        thumb = ImageOps.fit(im, (128, 128), Image.LANCZOS)
        out = io.BytesIO()
        thumb.save(out, format='PNG' if f.endswith('.png') else 'JPEG')
    entry = by_format.setdefault(f.rsplit('.', 1)[-1], {"images": 0, "seconds": 0.0})
    entry["images"] += 1
    entry["seconds"] += time.perf_counter() - file_start
seconds = time.perf_counter() - start
print(json.dumps({"images": len(files), "seconds": seconds, "maxRssMb": hwm(),
                  "idleRssMb": idle, "byFormat": by_format}))
`;

function pythonWithPil(): string | undefined {
  const candidates = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string =>
    Boolean(c),
  );
  return candidates.find(
    (python) => spawnSync(python, ['-c', 'import PIL'], { stdio: 'ignore' }).status === 0,
  );
}

/** Runs a contender in its own process pinned to CPU 0 and reads its figures. */
function measure(command: string, args: string[]): RunFigures {
  const pinned = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  const result = spawnSync(
    pinned ? 'taskset' : command,
    pinned ? ['-c', '0', command, ...args] : args,
    {
      encoding: 'utf8',
      env: { ...process.env, ...MALLOC, UV_THREADPOOL_SIZE: '1', LOG_LEVEL: 'warn' },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  const last = result.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as RunFigures;
}

// ------------------------------------------------------------------ corpus

/** A photo-like image: smooth gradients plus sensor-like noise, `mp` megapixels at 4:3. */
async function photo(mp: number, seed: number): Promise<Sharp> {
  const width = Math.round(Math.sqrt((mp * 1e6 * 4) / 3));
  const height = Math.round((width * 3) / 4);
  const gradient = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${(seed * 47) % 360},60%,35%)"/><stop offset="1" stop-color="hsl(${(seed * 91) % 360},70%,70%)"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/><circle cx="${width / 3}" cy="${height / 2}" r="${height / 4}" fill="hsl(${(seed * 13) % 360},80%,50%)"/></svg>`,
  );
  const noise = await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#000000',
      noise: { type: 'gaussian', mean: 128, sigma: 12 },
    },
  })
    .png({ compressionLevel: 1 })
    .toBuffer();
  const base = await sharp(gradient).flatten().png({ compressionLevel: 1 }).toBuffer();
  return sharp(base).composite([{ input: noise, blend: 'overlay' }]);
}

async function makeImage(dir: string, i: number): Promise<number> {
  const mp = MIN_MP + ((MAX_MP - MIN_MP) * i) / Math.max(1, COUNT - 1);
  const image = await photo(mp, i);
  // Every other JPEG is stored sideways (EXIF orientation 6), as phones do.
  const data =
    i % 2 === 0
      ? await image
          .jpeg({ quality: 90 })
          .withMetadata(i % 4 === 0 ? { orientation: 6 } : {})
          .toBuffer()
      : await image.png({ compressionLevel: 6 }).toBuffer();
  writeFileSync(join(dir, `${String(i).padStart(4, '0')}.${i % 2 === 0 ? 'jpg' : 'png'}`), data);
  return data.length;
}

/**
 * Lets every contender start alike: the freshly written corpus flushed to disk (no writeback
 * competing with the first one measured) and read once, so that all of them read it from the page
 * cache.
 */
function settle(dir: string): void {
  spawnSync('sync');
  for (const f of readdirSync(dir)) readFileSync(join(dir, f));
}

/** Two images at a time (each generation is mostly one thread); reuses a complete CORPUS_DIR. */
async function makeCorpus(dir: string): Promise<{ bytes: number; reused: boolean }> {
  const existing = readdirSync(dir);
  if (existing.length === COUNT) {
    const bytes = existing.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
    return { bytes, reused: true };
  }
  for (const f of existing) rmSync(join(dir, f));
  let bytes = 0;
  for (let i = 0; i < COUNT; i += 2) {
    const pair = [i, i + 1].filter((n) => n < COUNT).map((n) => makeImage(dir, n));
    for (const size of await Promise.all(pair)) bytes += size;
  }
  return { bytes, reused: false };
}

// ------------------------------------------------------------------ end to end against moto

async function endToEnd(dir: string): Promise<Pick<RunFigures, 'images' | 'seconds' | 'maxRssMb'>> {
  const moto = await startMoto();
  const scratch = mkdtempSync(join(tmpdir(), 'bench-images-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    AWS_ENDPOINT_URL: moto.url,
    RESOURCE_PREFIX: 'benchimages',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    ...MALLOC,
    SQLITE_PATH: join(scratch, 'bench.sqlite'),
    WORKER_POLL_WAIT_SECONDS: '1',
  };
  const config = AppConfig.fromEnv(env);
  const names = new ResourceNames(config.prefix);
  const aws = createAwsClients(config.aws);
  let worker: ChildProcess | undefined;
  try {
    for (const script of ['bootstrap', 'migrate']) {
      const result = spawnSync(process.execPath, [`dist/scripts/${script}.js`], {
        env,
        stdio: 'ignore',
      });
      if (result.status !== 0) throw new Error(`${script} failed`);
    }
    const ids: string[] = [];
    for (const file of readdirSync(dir).sort()) {
      const key = `images/originals/bench/${file}`; // any client's key: ids derive from it
      await aws.s3.send(
        new PutObjectCommand({
          Bucket: names.bucket('storage'),
          Key: key,
          Body: readFileSync(join(dir, file)),
        }),
      );
      ids.push(imageIdForKey(key) ?? '');
    }
    const started = performance.now();
    worker = spawn(process.execPath, ['dist/apps/worker/src/main.js'], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const deadline = Date.now() + E2E_TIMEOUT_MS;
    for (;;) {
      const finished = await countFinished(aws, names.table('image-metadata'), ids);
      if (finished >= ids.length) break;
      if (Date.now() > deadline) throw new Error(`only ${finished}/${ids.length} images finished`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const seconds = (performance.now() - started) / 1000;
    const maxRssMb = worker.pid === undefined ? NaN : peakRssMb(worker.pid);
    return { images: ids.length, seconds, maxRssMb };
  } finally {
    if (worker?.exitCode === null) {
      const exited = new Promise((resolve) => worker?.once('exit', resolve));
      worker.kill('SIGTERM');
      await exited;
    }
    destroyAwsClients(aws);
    await moto.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function countFinished(
  aws: ReturnType<typeof createAwsClients>,
  table: string,
  ids: readonly string[],
): Promise<number> {
  let finished = 0;
  for (let i = 0; i < ids.length; i += 100) {
    const result = await aws.documents.send(
      new BatchGetCommand({
        RequestItems: {
          [table]: {
            Keys: ids.slice(i, i + 100).map((id) => ({ ImageID: id })),
            ConsistentRead: true,
          },
        },
      }),
    );
    const items = result.Responses?.[table] ?? [];
    finished += items.filter((item) => item.Status === 'READY' || item.Status === 'FAILED').length;
  }
  return finished;
}

// ------------------------------------------------------------------ main

function row(label: string, f: RunFigures, base?: RunFigures): string {
  const rate = f.images / f.seconds;
  const ratio = base
    ? `  ${(rate / (base.images / base.seconds)).toFixed(2).padStart(5)}x   ${(f.maxRssMb / base.maxRssMb).toFixed(2).padStart(5)}x`
    : '';
  return `| ${label.padEnd(36)} | ${rate.toFixed(2).padStart(8)} | ${f.maxRssMb.toFixed(0).padStart(6)} |${ratio} |`;
}

function rate(f: RunFigures, format: string): number {
  const entry = f.byFormat[format];
  return entry ? entry.images / entry.seconds : NaN;
}

/** Per input format, and the memory the images themselves took (peak − the process's idle RSS). */
function detailRow(label: string, f: RunFigures, base?: RunFigures): string {
  const cells = ['jpg', 'png'].map((format) => {
    const own = rate(f, format);
    const ratio = base ? `${(own / rate(base, format)).toFixed(2)}x` : '';
    return `${own.toFixed(2).padStart(6)} ${ratio.padStart(6)}`;
  });
  const work = f.maxRssMb - f.idleRssMb;
  const baseWork = base ? base.maxRssMb - base.idleRssMb : NaN;
  const workRatio = base ? `${(work / baseWork).toFixed(2)}x` : '';
  return `| ${label.padEnd(36)} | ${cells.join(' | ')} | ${f.idleRssMb.toFixed(0).padStart(4)} | ${work.toFixed(0).padStart(4)} ${workRatio.padStart(6)} |`;
}

async function main(): Promise<void> {
  const dir = CORPUS_DIR ?? mkdtempSync(join(tmpdir(), 'bench-images-corpus-'));
  mkdirSync(dir, { recursive: true });
  try {
    const started = performance.now();
    const { bytes, reused } = await makeCorpus(dir);
    settle(dir);
    const how = reused
      ? `reused from ${dir}`
      : `generated in ${((performance.now() - started) / 1000).toFixed(0)} s`;
    console.log(
      `corpus: ${COUNT} images (JPEG and PNG, ${MIN_MP}-${MAX_MP} MP), ${(bytes / 1024 ** 2).toFixed(0)} MiB, ${how}`,
    );
    console.log(
      `Node contenders and the worker run with MALLOC_ARENA_MAX=${MALLOC.MALLOC_ARENA_MAX}`,
    );
    const ours = measure(process.execPath, [CHILD, 'ours', dir]);
    const bare = measure(process.execPath, [CHILD, 'bare', dir]);
    const full = measure(process.execPath, [CHILD, 'full', dir]);
    const python = pythonWithPil();
    const pillow = python ? measure(python, ['-c', PILLOW, dir]) : undefined;
    if (!python) {
      console.log('Pillow: not found (install python3-pil, or set PYTHON to a python with PIL)');
    }
    console.log('\n128x128 thumbnails, one core each (ratios: images/s, peak RSS vs Pillow)');
    console.log('| contender                            | images/s | RSS MB | vs Pillow      |');
    console.log('|--------------------------------------|---------:|-------:|----------------|');
    console.log(row('CodeCraft ImageResizer (thumbnail)', ours, pillow));
    console.log(row('bare sharp', bare, pillow));
    if (pillow) console.log(row('Pillow (ImageOps.fit, LANCZOS)', pillow, pillow));
    console.log(row('CodeCraft full rendering (7 outputs)', full, pillow));
    console.log(
      '\nper input format (images/s, vs Pillow); memory: idle RSS, and peak minus idle (vs Pillow)',
    );
    console.log(
      '| contender                            | JPEG          | PNG           | idle | images MB   |',
    );
    console.log(
      '|--------------------------------------|---------------|---------------|-----:|-------------|',
    );
    console.log(detailRow('CodeCraft ImageResizer (thumbnail)', ours, pillow));
    console.log(detailRow('bare sharp', bare, pillow));
    if (pillow) console.log(detailRow('Pillow (ImageOps.fit, LANCZOS)', pillow, pillow));
    console.log(detailRow('CodeCraft full rendering (7 outputs)', full, pillow));
    const oursRate = ours.images / ours.seconds;
    const bareRate = bare.images / bare.seconds;
    console.log(
      `\nours vs bare sharp: ${((oursRate / bareRate) * 100).toFixed(0)}% of its images/s`,
    );

    const e2e = await endToEnd(dir);
    console.log(
      `\nend to end (S3 event → READY, worker process, full rendering, moto): ${e2e.images} images in ${e2e.seconds.toFixed(1)} s = ${(e2e.images / e2e.seconds).toFixed(2)} images/s; worker peak RSS ${e2e.maxRssMb.toFixed(0)} MB`,
    );
  } finally {
    if (!CORPUS_DIR) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
