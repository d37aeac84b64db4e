import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { INestApplicationContext } from '@nestjs/common';
import { pdfBytes, postMultipart } from './support/files.js';
import { startApi, startWorkerApp, type RunningApi } from './support/harness.js';
import {
  photoJpeg,
  pixelBombPng,
  settled,
  truncatedJpeg,
  type ImageBody,
} from './support/images.js';
import { call, newUser, type TestUser } from './support/projects.js';

const PROBLEM = 'application/problem+json; charset=utf-8';

describe('images: non-images, truncated files and pixel bombs', () => {
  let api: RunningApi;
  let worker: INestApplicationContext;
  let owner: TestUser;

  before(async () => {
    api = await startApi();
    worker = await startWorkerApp({ WORKER_POLL_WAIT_SECONDS: '1' });
    owner = await newUser('images-safety');
  });
  after(async () => {
    await worker.close();
    await api.close();
  });

  /** Presigned upload of `data` declared as `contentType`: the bytes only meet the worker. */
  async function presigned(data: Buffer, name: string, contentType: string): Promise<string> {
    const ticket = await call(api.url, owner, 'POST', '/images/upload-url', {
      body: { fileName: name, contentType, size: data.length },
    });
    assert.equal(ticket.status, 201, ticket.text);
    const { image, upload } = ticket.body as unknown as {
      image: ImageBody;
      upload: { url: string };
    };
    const put = await fetch(upload.url, {
      method: 'PUT',
      headers: { 'content-type': contentType },
      body: data,
    });
    assert.equal(put.status, 200);
    return image.id;
  }

  it('a non-image is refused at upload with 415, and nothing is kept', async () => {
    const result = await postMultipart(api.url, '/images', owner, {
      name: 'report.png',
      type: 'image/png',
      data: pdfBytes(),
    });
    assert.equal(result.status, 415, result.text);
    assert.equal(result.headers.get('content-type'), PROBLEM);
    assert.match(String(result.body.detail), /application\/pdf/);
    const text = await postMultipart(api.url, '/images', owner, {
      name: 'notes.txt',
      data: Buffer.from('just text'),
    });
    assert.equal(text.status, 415);
    const list = await call(api.url, owner, 'GET', '/images');
    assert.deepEqual((list.body as { items: unknown[] }).items, []);
  });

  it('the presigned route refuses non-image types (415) and oversized images (413)', async () => {
    const pdf = await call(api.url, owner, 'POST', '/images/upload-url', {
      body: { fileName: 'a.pdf', contentType: 'application/pdf', size: 100 },
    });
    assert.equal(pdf.status, 415);
    const huge = await call(api.url, owner, 'POST', '/images/upload-url', {
      body: { fileName: 'a.jpg', contentType: 'image/jpeg', size: 10 * 1024 ** 3 },
    });
    assert.equal(huge.status, 413);
    assert.equal(huge.headers.get('content-type'), PROBLEM);
  });

  it('a non-image, a truncated JPEG and a pixel bomb end FAILED with clear reasons while good images go on', async () => {
    const bomb = pixelBombPng();
    assert.ok(bomb.length < 4096, `the bomb is small: ${bomb.length} bytes`);
    const ids = {
      text: await presigned(Buffer.from('hello, not an image'), 'fake.png', 'image/png'),
      good1: await presigned(await photoJpeg(800, 600), 'good1.jpg', 'image/jpeg'),
      truncated: await presigned(await truncatedJpeg(), 'cut.jpg', 'image/jpeg'),
      bomb: await presigned(bomb, 'bomb.png', 'image/png'),
      good2: await presigned(await photoJpeg(600, 800), 'good2.jpg', 'image/jpeg'),
    };
    const text = await settled(api.url, owner, ids.text);
    assert.equal(text.status, 'FAILED');
    assert.match(text.failureReason ?? '', /Not a supported image: its bytes are text\/plain/);

    const truncated = await settled(api.url, owner, ids.truncated);
    assert.equal(truncated.status, 'FAILED');
    assert.match(truncated.failureReason ?? '', /truncated or corrupt: .*premature end/i);

    const bombed = await settled(api.url, owner, ids.bomb);
    assert.equal(bombed.status, 'FAILED');
    assert.match(
      bombed.failureReason ?? '',
      /declares 20000x20000 \(400000000 pixels\), over the limit of 50000000 pixels/,
    );
    assert.deepEqual(bombed.variants, []);

    for (const id of [ids.good1, ids.good2]) {
      const good = await settled(api.url, owner, id);
      assert.equal(good.status, 'READY', good.failureReason ?? '');
    }
    // The worker is still serving after all of that.
    const later = await presigned(await photoJpeg(300, 300), 'later.jpg', 'image/jpeg');
    assert.equal((await settled(api.url, owner, later)).status, 'READY');

    const redirect = await call(api.url, owner, 'GET', `/images/${ids.bomb}/thumb`);
    assert.equal(redirect.status, 409);
    assert.equal(redirect.headers.get('content-type'), PROBLEM);
    assert.match(String(redirect.body.detail), /could not be processed/);
  });
});
