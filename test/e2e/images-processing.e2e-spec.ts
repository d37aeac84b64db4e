import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { INestApplicationContext } from '@nestjs/common';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { ImageProcessor, imageIdForKey } from '#libs/images';
import { bucket, objectExists, postMultipart } from './support/files.js';
import { aws, eventually, startApi, startWorkerApp, type RunningApi } from './support/harness.js';
import {
  imageItem,
  objectBytes,
  photoJpeg,
  pngImage,
  settled,
  sidewaysJpeg,
  type ImageBody,
} from './support/images.js';
import { call, newUser, type TestUser } from './support/projects.js';

describe('images: upload → S3 event → worker → READY', () => {
  let api: RunningApi;
  let worker: INestApplicationContext;
  let owner: TestUser;

  before(async () => {
    api = await startApi();
    worker = await startWorkerApp({ WORKER_POLL_WAIT_SECONDS: '1' });
    owner = await newUser('images');
  });
  after(async () => {
    await worker.close();
    await api.close();
  });

  async function uploadFile(data: Buffer, name: string, user = owner): Promise<ImageBody> {
    const result = await postMultipart(api.url, '/images', user, { name, data });
    assert.equal(result.status, 201, result.text);
    assert.equal(result.headers.get('location'), `/images/${String(result.body.id)}`);
    return result.body as unknown as ImageBody;
  }

  /** Every stored rendition decodes to the size and format its record claims, with its byte count. */
  async function assertRenditions(image: ImageBody): Promise<void> {
    for (const variant of image.variants) {
      const bytes = await objectBytes(variant.key);
      const meta = await sharp(bytes).metadata();
      assert.equal(bytes.length, variant.bytes, `${variant.key} bytes`);
      assert.equal(meta.format, variant.format, `${variant.key} format`);
      assert.equal(meta.width, variant.width, `${variant.key} width`);
      assert.equal(meta.height, variant.height, `${variant.key} height`);
      assert.equal(meta.exif, undefined, `${variant.key} carries no EXIF`);
    }
  }

  it('a multipart JPEG becomes READY: resized-{key} is exactly 128x128, every variant as recorded', async () => {
    const uploaded = await uploadFile(await photoJpeg(1600, 1000), 'Holiday photo.jpg');
    assert.equal(uploaded.status, 'PENDING');
    const image = await settled(api.url, owner, uploaded.id);
    assert.equal(image.status, 'READY', image.failureReason ?? '');
    assert.deepEqual([image.width, image.height, image.format], [1600, 1000, 'jpeg']);
    assert.equal(image.resizedImageKey, `resized-${image.originalKey}`);

    const resized = await sharp(await objectBytes(image.resizedImageKey)).metadata();
    assert.deepEqual([resized.width, resized.height, resized.format], [128, 128, 'jpeg']);

    const summary = image.variants.map((v) => `${v.name}:${v.format}:${v.width}x${v.height}`);
    assert.deepEqual(summary, [
      'resized:jpeg:128x128',
      'thumb:webp:128x80',
      'thumb:jpeg:128x80',
      'medium:webp:512x320',
      'medium:jpeg:512x320',
      'large:webp:1280x800',
      'large:jpeg:1280x800',
    ]);
    await assertRenditions(image);
    const progressive = await sharp(await objectBytes(image.variants[6]?.key ?? '')).metadata();
    assert.equal(progressive.isProgressive, true, 'JPEG variants are progressive');

    // The item carries the original attributes.
    const item = await imageItem(image.id);
    assert.equal(item?.Bucket, bucket());
    assert.equal(item.ResizedImageKey, image.resizedImageKey);
    assert.equal(item.OwnerID, owner.sub);
  });

  it('short-lived presigned URLs serve each rendition; /images/:id/:variant redirects to one', async () => {
    const uploaded = await uploadFile(await pngImage(600, 300), 'badge.png');
    const image = await settled(api.url, owner, uploaded.id);
    assert.equal(image.status, 'READY', image.failureReason ?? '');
    const thumb = image.variants.find((v) => v.name === 'thumb' && v.format === 'png');
    assert.ok(thumb);
    assert.ok(thumb.url.includes('X-Amz-Expires=300'));
    const viaUrl = await fetch(thumb.url);
    assert.equal(viaUrl.status, 200);
    assert.equal(viaUrl.headers.get('content-type'), 'image/png');
    assert.ok(image.originalUrl);
    assert.equal((await fetch(image.originalUrl)).status, 200);

    const redirect = await fetch(`${api.url}/images/${image.id}/thumb`, {
      headers: { authorization: `Bearer ${owner.token}` },
      redirect: 'manual',
    });
    assert.equal(redirect.status, 302);
    const webp = await fetch(redirect.headers.get('location') ?? '');
    const meta = await sharp(Buffer.from(await webp.arrayBuffer())).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 128, 64]);

    const asPng = await fetch(`${api.url}/images/${image.id}/resized?format=png`, {
      headers: { authorization: `Bearer ${owner.token}` },
      redirect: 'manual',
    });
    assert.equal(asPng.status, 302);
    const unknown = await call(api.url, owner, 'GET', `/images/${image.id}/huge`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  });

  it('the small base64 JSON form is stored and processed the same way', async () => {
    const data = await pngImage(200, 200);
    const result = await call(api.url, owner, 'POST', '/images', {
      body: { fileName: 'tiny.png', content: data.toString('base64') },
    });
    assert.equal(result.status, 201, result.text);
    const image = await settled(api.url, owner, String(result.body.id));
    assert.equal(image.status, 'READY');
    await assertRenditions(image);
    const bad = await call(api.url, owner, 'POST', '/images', {
      body: { fileName: 'x.png', content: 'not base64!' },
    });
    assert.equal(bad.status, 400);
  });

  it('an image PUT straight to S3 with a presigned URL is processed the same way', async () => {
    const data = await photoJpeg(1000, 1500);
    const ticket = await call(api.url, owner, 'POST', '/images/upload-url', {
      body: { fileName: 'portrait.jpg', contentType: 'image/jpeg', size: data.length },
    });
    assert.equal(ticket.status, 201, ticket.text);
    const { image: pending, upload } = ticket.body as unknown as {
      image: ImageBody;
      upload: { url: string; headers: Record<string, string> };
    };
    assert.equal(pending.status, 'PENDING');
    const put = await fetch(upload.url, {
      method: 'PUT',
      headers: { 'content-type': 'image/jpeg' },
      body: data,
    });
    assert.equal(put.status, 200);
    const image = await settled(api.url, owner, pending.id);
    assert.equal(image.status, 'READY', image.failureReason ?? '');
    assert.deepEqual([image.width, image.height], [1000, 1500]);
    const resized = await sharp(await objectBytes(image.resizedImageKey ?? '')).metadata();
    assert.deepEqual([resized.width, resized.height], [128, 128]);
    await assertRenditions(image);
    assert.equal((await imageItem(image.id))?.ExpiresAt, undefined, 'no longer expires');
  });

  it('an object any client puts under the originals prefix is processed too (no owner)', async () => {
    const key = `images/originals/outside ${randomUUID()}/cam era+1.jpg`;
    await aws().s3.send(
      new PutObjectCommand({ Bucket: bucket(), Key: key, Body: await photoJpeg(640, 480) }),
    );
    const id = imageIdForKey(key) ?? '';
    const item = await eventually(
      async () => {
        const current = await imageItem(id);
        return current?.Status === 'READY' ? current : undefined;
      },
      30_000,
      'the outside object READY',
    );
    assert.equal(item.OriginalKey, key, 'the URL-decoded key');
    assert.equal(item.OwnerID, undefined);
    assert.ok(await objectExists(`resized-${key}`));
  });

  it('an EXIF-rotated photo comes out upright', async () => {
    const uploaded = await uploadFile(await sidewaysJpeg(), 'sideways.jpg');
    const image = await settled(api.url, owner, uploaded.id);
    assert.equal(image.status, 'READY', image.failureReason ?? '');
    assert.deepEqual([image.width, image.height], [100, 300], 'upright dimensions');
    const large = image.variants.find((v) => v.name === 'large' && v.format === 'jpeg');
    assert.deepEqual([large?.width, large?.height], [100, 300]);
    const { data, info } = await sharp(await objectBytes(large?.key ?? ''))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number): [number, number, number] => {
      const at = (y * info.width + x) * info.channels;
      return [data[at] ?? 0, data[at + 1] ?? 0, data[at + 2] ?? 0];
    };
    const [topRed, , topBlue] = pixel(50, 20);
    const [bottomRed, , bottomBlue] = pixel(50, 280);
    assert.ok(topRed > 200 && topBlue < 60, `top is red: ${pixel(50, 20).join(',')}`);
    assert.ok(bottomBlue > 200 && bottomRed < 60, `bottom is blue: ${pixel(50, 280).join(',')}`);
    assert.equal(
      (await sharp(await objectBytes(large?.key ?? '')).metadata()).orientation,
      undefined,
    );
  });

  it('a redelivered event does not redo finished work', async () => {
    const uploaded = await uploadFile(await pngImage(300, 300), 'once.png');
    const image = await settled(api.url, owner, uploaded.id);
    const before = await imageItem(image.id);
    const outcome = await worker.get(ImageProcessor).process({
      bucket: bucket(),
      key: image.originalKey,
      eventName: 'ObjectCreated:Put',
      size: undefined,
    });
    assert.equal(outcome, 'skipped');
    assert.deepEqual(await imageItem(image.id), before, 'item untouched');
  });

  it('lists only your images, newest first, with cursor pagination', async () => {
    const lister = await newUser('images-list');
    const ids: string[] = [];
    for (const n of [1, 2, 3])
      ids.push((await uploadFile(await pngImage(40, 40), `${n}.png`, lister)).id);
    const first = await call(api.url, lister, 'GET', '/images?limit=2');
    assert.equal(first.status, 200, first.text);
    const page1 = first.body as unknown as { items: ImageBody[]; nextCursor: string | null };
    assert.deepEqual(
      page1.items.map((i) => i.id),
      [ids[2], ids[1]],
    );
    assert.ok(page1.nextCursor);
    const second = await call(api.url, lister, 'GET', `/images?limit=2&cursor=${page1.nextCursor}`);
    const page2 = second.body as unknown as { items: ImageBody[]; nextCursor: string | null };
    assert.deepEqual(
      page2.items.map((i) => i.id),
      [ids[0]],
    );
    const stranger = await call(
      api.url,
      owner,
      'GET',
      `/images?limit=2&cursor=${page1.nextCursor}`,
    );
    assert.equal(stranger.status, 400, 'a cursor of another listing');
  });

  it("another user's image is 404 everywhere; DELETE removes original, renditions and item", async () => {
    const uploaded = await uploadFile(await pngImage(300, 200), 'mine.png');
    const image = await settled(api.url, owner, uploaded.id);
    const other = await newUser('images-other');
    for (const [method, path] of [
      ['GET', `/images/${image.id}`],
      ['GET', `/images/${image.id}/thumb`],
      ['DELETE', `/images/${image.id}`],
    ] as const) {
      const result = await call(api.url, other, method, path);
      assert.equal(result.status, 404, `${method} ${path}`);
      assert.equal(result.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    }
    const theirs = await call(api.url, other, 'GET', '/images');
    assert.deepEqual((theirs.body as { items: unknown[] }).items, []);

    const keys = [image.originalKey, ...image.variants.map((v) => v.key)];
    assert.equal((await call(api.url, owner, 'DELETE', `/images/${image.id}`)).status, 204);
    for (const key of keys) assert.equal(await objectExists(key), false, key);
    assert.equal(await imageItem(image.id), undefined);
    assert.equal((await call(api.url, owner, 'GET', `/images/${image.id}`)).status, 404);
  });
});
