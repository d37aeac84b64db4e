import { crc32, deflateSync } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import sharp from 'sharp';
import { bucket, names } from './files.js';
import { aws, eventually } from './harness.js';
import { call, type HttpResult, type TestUser } from './projects.js';

export interface ImageBody {
  readonly id: string;
  readonly status: string;
  readonly originalKey: string;
  readonly resizedImageKey: string | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly format: string | null;
  readonly failureReason: string | null;
  readonly originalUrl: string | null;
  readonly variants: readonly {
    name: string;
    format: string;
    contentType: string;
    key: string;
    width: number;
    height: number;
    bytes: number;
    url: string;
  }[];
}

/** A photo-like JPEG: a gradient with some noise (compresses like a photo, not like a flat fill). */
export async function photoJpeg(width: number, height: number): Promise<Buffer> {
  const noise = await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#000000',
      noise: { type: 'gaussian', mean: 128, sigma: 30 },
    },
  })
    .png()
    .toBuffer();
  return sharp({ create: { width, height, channels: 3, background: '#4477aa' } })
    .composite([{ input: noise, blend: 'overlay' }])
    .jpeg({ quality: 85 })
    .toBuffer();
}

export function pngImage(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: '#22aa5580' } })
    .png()
    .toBuffer();
}

/** 300x100 stored sideways (EXIF orientation 6): left half red, right half blue. Upright: red on top. */
export async function sidewaysJpeg(): Promise<Buffer> {
  const half = (color: string) =>
    sharp({ create: { width: 150, height: 100, channels: 3, background: color } })
      .png()
      .toBuffer();
  return sharp({ create: { width: 300, height: 100, channels: 3, background: '#000000' } })
    .composite([
      { input: await half('#ff0000'), left: 0, top: 0 },
      { input: await half('#0000ff'), left: 150, top: 0 },
    ])
    .jpeg({ quality: 95 })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

export async function truncatedJpeg(): Promise<Buffer> {
  const whole = await photoJpeg(1200, 900);
  return whole.subarray(0, Math.floor(whole.length / 2));
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A decompression bomb: a valid PNG of a few hundred bytes whose header declares 20000x20000
 * (400 megapixels of 8-bit grey; decoded, well over a gigabyte with libvips' working copies).
 */
export function pixelBombPng(side = 20000): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(0, 9); // greyscale
  const rows = deflateSync(Buffer.alloc((side + 1) * 16), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', rows),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export async function getImage(url: string, user: TestUser, id: string): Promise<HttpResult> {
  return call(url, user, 'GET', `/images/${id}`);
}

/** Waits until the image leaves PENDING/PROCESSING and returns it. */
export async function settled(
  url: string,
  user: TestUser,
  id: string,
  timeoutMs = 30_000,
): Promise<ImageBody> {
  return eventually(
    async () => {
      const result = await getImage(url, user, id);
      if (result.status !== 200)
        throw new Error(`GET /images/${id}: ${result.status} ${result.text}`);
      const image = result.body as unknown as ImageBody;
      return image.status === 'READY' || image.status === 'FAILED' ? image : undefined;
    },
    timeoutMs,
    `image ${id} READY or FAILED`,
  );
}

export const imagesTable = () => names().table('image-metadata');

export async function imageItem(id: string): Promise<Record<string, unknown> | undefined> {
  const result = await aws().documents.send(
    new GetCommand({ TableName: imagesTable(), Key: { ImageID: id }, ConsistentRead: true }),
  );
  return result.Item;
}

export async function objectBytes(key: string): Promise<Buffer> {
  const result = await aws().s3.send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
  return Buffer.from((await result.Body?.transformToByteArray()) ?? []);
}

/** The record S3 puts in an event notification, its key form-encoded as S3 does. */
export function s3EventRecord(key: string, size = 1): Record<string, unknown> {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventName: 'ObjectCreated:Put',
    s3: {
      s3SchemaVersion: '1.0',
      bucket: { name: bucket(), arn: `arn:aws:s3:::${bucket()}` },
      object: { key: encodeURIComponent(key).replace(/%20/g, '+'), size },
    },
  };
}
