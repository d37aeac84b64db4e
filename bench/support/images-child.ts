/**
 * One contender of the images bench, run by bench/images.ts in its own process pinned to one core:
 * `node images-child.js <ours|full|bare> <dir>` makes a 128x128 cover thumbnail of every file in
 * `<dir>` (or, for `full`, the worker's whole rendering) and prints its figures as one JSON line.
 *
 * Deliberately lean: it imports sharp, the resizer's own module (which needs nothing else) and the
 * config class, not `#libs/images` — that index also loads the controllers, the AWS SDK and Nest,
 * which would weigh on the resize function's memory figures without doing any of its work. `bare`
 * loads sharp alone. (The worker process's whole footprint is what the end-to-end figure reports.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { RenderPlan } from '../../libs/images/src/image-resizer.js';

export interface RunFigures {
  readonly images: number;
  readonly seconds: number;
  readonly maxRssMb: number;
  /** Peak RSS once everything is loaded, before the first image: the process's own footprint. */
  readonly idleRssMb: number;
  /** Seconds spent on each input format (`jpg`, `png`). */
  readonly byFormat: Readonly<Record<string, { images: number; seconds: number }>>;
}

/**
 * Peak resident memory of a process (VmHWM). Not getrusage's ru_maxrss: Linux carries that across
 * fork + exec, so a child would report the bench parent's peak (the corpus generation).
 */
export function peakRssMb(pid: number | 'self' = 'self'): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? NaN) / 1024;
}

type Render = (input: string) => Promise<unknown>;

/** CodeCraft's resizer, as the worker configures it (one libvips thread, no operation cache). */
async function ours(full: boolean): Promise<Render> {
  // The config class alone (it needs zod only), not #libs/config's index with its Nest module.
  const { AppConfig } = await import('../../libs/config/src/app-config.js');
  const { ImageResizer } = await import('../../libs/images/src/image-resizer.js');
  const config = AppConfig.fromEnv({ ...process.env, IMAGES_SHARP_THREADS: '1' });
  const resizer = new ImageResizer(config.images);
  const plan: RenderPlan = full
    ? { thumbnail: true, variants: config.images.variants, formats: ['webp'] }
    : { thumbnail: true, variants: [], formats: [] };
  return (input) => resizer.render(input, plan);
}

/** The same thumbnail written the shortest way sharp allows, with the same two settings. */
function bare(): Render {
  sharp.cache(false);
  sharp.concurrency(1);
  return (input) =>
    sharp(input, { failOn: 'error' })
      .rotate()
      .resize(128, 128, { fit: 'cover' })
      .toFormat(input.endsWith('.png') ? 'png' : 'jpeg')
      .toBuffer();
}

async function run(kind: string, dir: string): Promise<RunFigures> {
  const render = kind === 'bare' ? bare() : await ours(kind === 'full');
  const files = readdirSync(dir).sort();
  const idleRssMb = peakRssMb();
  const byFormat: Record<string, { images: number; seconds: number }> = {};
  const started = performance.now();
  for (const file of files) {
    const fileStarted = performance.now();
    // From the file, as the worker does (it streams each original from S3 to a scratch file).
    await render(join(dir, file));
    const entry = (byFormat[file.split('.').pop() ?? ''] ??= { images: 0, seconds: 0 });
    entry.images += 1;
    entry.seconds += (performance.now() - fileStarted) / 1000;
  }
  return {
    images: files.length,
    seconds: (performance.now() - started) / 1000,
    maxRssMb: peakRssMb(),
    idleRssMb,
    byFormat,
  };
}

if (process.argv[1]?.endsWith('images-child.js') && process.argv[2]) {
  console.log(JSON.stringify(await run(process.argv[2], process.argv[3] ?? '')));
}
