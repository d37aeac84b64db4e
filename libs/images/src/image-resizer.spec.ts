import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { crc32, deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import type { AppConfig } from '#libs/config';
import {
  ImageRejectedError,
  ImageResizer,
  outputFormatFor,
  workingSize,
  type RenderPlan,
} from './image-resizer.js';

const config = { images: { sharpThreads: 1, maxInputPixels: 1_000_000 } } as AppConfig;
const plan: RenderPlan = {
  thumbnail: true,
  variants: [
    { name: 'thumb', size: 128 },
    { name: 'medium', size: 300 },
  ],
  formats: ['webp'],
};

function photo(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#3366cc' } })
    .jpeg()
    .toBuffer();
}

describe('workingSize', () => {
  it('is just big enough for the largest variant and the cover thumbnail, never enlarged', () => {
    assert.deepEqual(workingSize(4000, 3000, plan), { width: 300, height: 225 });
    assert.deepEqual(workingSize(4000, 3000, { thumbnail: true, variants: [] }), {
      width: 171,
      height: 128,
    });
    // A panorama: the cover thumbnail needs 128 rows, more than the variants alone would keep.
    assert.deepEqual(workingSize(10000, 500, plan), { width: 2560, height: 128 });
    assert.deepEqual(workingSize(100, 80, plan), { width: 100, height: 80 });
  });
});

describe('outputFormatFor', () => {
  it('keeps web formats and maps the rest to one browsers show', () => {
    assert.deepEqual(
      ['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif'].map((f) => outputFormatFor(f)),
      ['jpeg', 'png', 'webp', 'png', 'jpeg', 'avif'],
    );
  });
});

describe('ImageResizer', () => {
  const resizer = new ImageResizer(config.images);

  it('makes the 128x128 cover thumbnail and every variant in every format, inside fit', async () => {
    const rendering = await resizer.render(await photo(800, 400), plan);
    assert.deepEqual(rendering.original, { width: 800, height: 400, format: 'jpeg' });
    const summary = rendering.outputs.map((o) => `${o.name}:${o.format}:${o.width}x${o.height}`);
    assert.deepEqual(summary, [
      'resized:jpeg:128x128',
      'thumb:webp:128x64',
      'thumb:jpeg:128x64',
      'medium:webp:300x150',
      'medium:jpeg:300x150',
    ]);
    for (const output of rendering.outputs) {
      const meta = await sharp(output.data).metadata();
      assert.equal(meta.format, output.format);
      assert.equal(meta.width, output.width);
      assert.equal(meta.exif, undefined, 'metadata stripped');
    }
  });

  it('turns EXIF-rotated images upright and strips the orientation', async () => {
    const rotated = await sharp({
      create: { width: 200, height: 100, channels: 3, background: 'red' },
    })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const rendering = await resizer.render(rotated, plan);
    assert.deepEqual(rendering.original, { width: 100, height: 200, format: 'jpeg' });
    const medium = rendering.outputs.find((o) => o.name === 'medium');
    assert.equal(medium?.width, 100);
    assert.equal(medium.height, 200);
    assert.equal((await sharp(medium.data).metadata()).orientation, undefined);
  });

  it('refuses images over the pixel limit before decoding, and corrupt ones, with a reason', async () => {
    await assert.rejects(resizer.render(await photo(1200, 1000), plan), (error: unknown) => {
      assert.ok(error instanceof ImageRejectedError);
      assert.match(error.reason, /1200x1000 \(1200000 pixels\), over the limit of 1000000/);
      return true;
    });
    const whole = await photo(300, 300);
    await assert.rejects(
      resizer.render(whole.subarray(0, whole.length / 2), plan),
      /truncated or corrupt/,
    );
    await assert.rejects(resizer.render(Buffer.from('not an image'), plan), ImageRejectedError);
  });

  it('refuses extreme shapes from the header, whatever their pixel count', async () => {
    // The default pixel limit: each shape below is under it.
    const strict = new ImageResizer({ sharpThreads: 1, maxInputPixels: 50_000_000 });
    for (const [width, height] of [
      [40_000_000, 1],
      [1, 40_000_000],
      [20_000, 10],
      [6500, 100],
    ] as const) {
      const png = tinyPng(width, height);
      const started = process.memoryUsage().rss;
      await assert.rejects(strict.render(png, plan), (error: unknown) => {
        assert.ok(error instanceof ImageRejectedError, String(error));
        assert.match(error.reason, new RegExp(`declares ${width}x${height}: sides over`));
        return true;
      });
      assert.ok(process.memoryUsage().rss - started < 50 * 1024 ** 2, 'nothing decoded');
    }
    const panorama = await strict.render(await photo(1600, 200), plan);
    assert.deepEqual(panorama.original, { width: 1600, height: 200, format: 'jpeg' });
  });
});

/** A valid 1-bit black PNG of width x height: 4.9 KB for 40,000,000x1 (all zeros deflate well). */
function tinyPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(1, 8);
  const rows = deflateSync(Buffer.alloc((1 + Math.ceil(width / 8)) * height), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', rows),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('loading sharp', () => {
  it('waits for the first ImageResizer: importing #libs/images (as the API does) loads no libvips', () => {
    // A fresh process: this one has sharp loaded already. CommonJS modules it loaded are listed
    // in require.cache, sharp's among them once anything has loaded it.
    const script = `
      import { createRequire } from 'node:module';
      const sharpFiles = () => Object.keys(createRequire(import.meta.url).cache)
        .filter((file) => file.includes('/node_modules/sharp/')).length;
      const { ImageResizer } = await import('#libs/images');
      const afterImport = sharpFiles();
      new ImageResizer({ maxInputPixels: 1000, sharpThreads: 1 });
      console.log(JSON.stringify({ afterImport, afterResizer: sharpFiles() }));`;
    const root = fileURLToPath(new URL('../../../../', import.meta.url));
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(result.status, 0, result.stderr);
    const counts = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as {
      afterImport: number;
      afterResizer: number;
    };
    assert.equal(counts.afterImport, 0, 'sharp was loaded by the import alone');
    assert.ok(counts.afterResizer > 0, 'the resizer did not load sharp');
  });
});
