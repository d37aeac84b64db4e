import { writeFile } from 'node:fs/promises';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Logger } from '@nestjs/common';
import sharp from 'sharp';
import type { AppConfig } from '#libs/config';
import type { ImageRecord } from './image.js';
import type { ImageMetadataRepository } from './image-metadata.repository.js';
import type { ImageObjectsRepository } from './image-objects.repository.js';
import { ImageProcessor } from './image-processor.service.js';
import { ImageResizer } from './image-resizer.js';

const config = {
  images: {
    sharpThreads: 1,
    maxInputPixels: 10_000_000,
    maxBytes: 1_000_000,
    workerConcurrency: 2,
    avif: false,
    variants: [{ name: 'thumb', size: 64 }],
  },
} as unknown as AppConfig;

const ID = '0b7c6a3e-4d39-4f51-9d5f-2f4b8a1c9e10';
const KEY = `images/originals/${ID}/a.png`;
const event = { bucket: 'cc-storage', key: KEY, eventName: 'ObjectCreated:Put', size: 1 };

function setup(options: {
  claim?: boolean;
  status?: ImageRecord['Status'];
  body?: Buffer;
  putFails?: boolean;
}) {
  const calls: string[] = [];
  const metadata = {
    claim: () => {
      calls.push('claim');
      return Promise.resolve(
        options.claim === false ? undefined : ({ ImageID: 'img-1' } as ImageRecord),
      );
    },
    get: () =>
      Promise.resolve({ ImageID: 'img-1', Status: options.status ?? 'READY' } as ImageRecord),
    markReady: (_id: string, _lease: string, facts: unknown) => {
      calls.push(`ready ${JSON.stringify(facts)}`);
      return Promise.resolve(true);
    },
    markFailed: (_id: string, _lease: string, reason: string) => {
      calls.push(`failed ${reason}`);
      return Promise.resolve(true);
    },
    release: () => {
      calls.push('release');
      return Promise.resolve(true);
    },
  } as unknown as ImageMetadataRepository;
  const objects = {
    bucket: 'cc-storage',
    head: () => Promise.resolve({ size: options.body?.length ?? 10, etag: '"e"' }),
    download: async (_key: string, _etag: string, path: string) => {
      const body = options.body ?? Buffer.alloc(10);
      await writeFile(path, body);
      return body.length;
    },
    put: (key: string) => {
      calls.push(`put ${key}`);
      return options.putFails ? Promise.reject(new Error('S3 down')) : Promise.resolve();
    },
    deleteAll: () => Promise.resolve(),
  } as unknown as ImageObjectsRepository;
  const processor = new ImageProcessor(metadata, objects, new ImageResizer(config.images), config);
  return { processor, calls };
}

const png = () =>
  sharp({ create: { width: 100, height: 50, channels: 4, background: '#00ff0080' } })
    .png()
    .toBuffer();

describe('ImageProcessor', () => {
  before(() => {
    Logger.overrideLogger(false);
  });

  it('stores every rendition then marks the image READY with their facts', async () => {
    const { processor, calls } = setup({ body: await png() });
    assert.equal(await processor.process(event), 'ready');
    assert.ok(calls.includes(`put resized-${KEY}`));
    assert.ok(calls.includes(`put images/variants/${ID}/thumb.webp`));
    assert.ok(calls.includes(`put images/variants/${ID}/thumb.png`));
    const ready = calls.find((c) => c.startsWith('ready ')) ?? '';
    assert.match(ready, /"width":100,"height":50,"format":"png"/);
    assert.match(
      ready,
      /"Name":"resized","Format":"png","ContentType":"image\/png","Key":"resized-/,
    );
  });

  it('does nothing for a redelivered event of a finished image', async () => {
    const { processor, calls } = setup({ claim: false, status: 'READY' });
    assert.equal(await processor.process(event), 'skipped');
    assert.deepEqual(calls, ['claim']);
  });

  it('retries later (throws) while another worker holds the image', async () => {
    const { processor } = setup({ claim: false, status: 'PROCESSING' });
    await assert.rejects(processor.process(event), /being processed by another worker/);
  });

  it('fails the image, not the message, for bytes that are no image', async () => {
    const { processor, calls } = setup({
      body: Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'),
    });
    assert.equal(await processor.process(event), 'failed');
    assert.match(
      calls.at(-1) ?? '',
      /^failed Not a supported image: its bytes are application\/pdf/,
    );
  });

  it('releases the claim and rethrows when storage fails (SQS retries)', async () => {
    const { processor, calls } = setup({ body: await png(), putFails: true });
    await assert.rejects(processor.process(event), /S3 down/);
    assert.equal(calls.at(-1), 'release');
  });

  it('ignores keys outside the originals prefix and other buckets', async () => {
    const { processor, calls } = setup({});
    assert.equal(await processor.process({ ...event, key: `resized-${KEY}` }), 'skipped');
    assert.equal(await processor.process({ ...event, bucket: 'elsewhere' }), 'skipped');
    assert.deepEqual(calls, []);
  });
});
