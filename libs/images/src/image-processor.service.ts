import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '#libs/config';
import { sniffContent, SNIFF_BYTES } from '#libs/files';
import { ConcurrencyLimit } from './concurrency-limit.js';
import { IMAGE_CONTENT_TYPES, type ImageVariant, type OutputFormat } from './image.js';
import { ImageBusyError } from './image.errors.js';
import { imageIdForKey, keyFileName, resizedKey, variantKey } from './image-keys.js';
import { ImageMetadataRepository } from './image-metadata.repository.js';
import { ImageObjectsRepository } from './image-objects.repository.js';
import {
  CONTENT_TYPES,
  EXTENSIONS,
  ImageRejectedError,
  ImageResizer,
  type RenderedImage,
  type RenderPlan,
} from './image-resizer.js';
import type { S3ObjectEvent } from './s3-event.js';

/**
 * A claim outlives a normal run by far (seconds) but ends before the images queue's visibility
 * timeout (120 s): when a worker dies mid-image, the redelivered event finds the lease expired.
 */
export const LEASE_SECONDS = 90;

export type ProcessOutcome = 'ready' | 'failed' | 'skipped';

/**
 * Worker side: one S3 object event → the image READY with every rendition, or FAILED with a
 * reason. Idempotent: only a claim (conditional write) lets a worker work, so a redelivered event
 * for a READY or FAILED image does nothing. Bad images fail the image, not the message; transient
 * failures (S3, DynamoDB) release the claim and rethrow so that SQS retries.
 */
@Injectable()
export class ImageProcessor {
  private readonly logger = new Logger(ImageProcessor.name);
  private readonly limit: ConcurrencyLimit;
  private readonly plan: RenderPlan;

  constructor(
    private readonly metadata: ImageMetadataRepository,
    private readonly objects: ImageObjectsRepository,
    private readonly resizer: ImageResizer,
    private readonly config: AppConfig,
  ) {
    this.limit = new ConcurrencyLimit(config.images.workerConcurrency);
    const formats: OutputFormat[] = config.images.avif ? ['webp', 'avif'] : ['webp'];
    this.plan = { thumbnail: true, variants: config.images.variants, formats };
  }

  process(event: S3ObjectEvent): Promise<ProcessOutcome> {
    return this.limit.run(() => this.processNow(event));
  }

  private async processNow(event: S3ObjectEvent): Promise<ProcessOutcome> {
    const imageId = imageIdForKey(event.key);
    if (event.bucket !== this.objects.bucket || !imageId) {
      this.logger.warn({ bucket: event.bucket, key: event.key }, 'not an image original: ignored');
      return 'skipped';
    }
    const stored = await this.objects.head(event.key);
    if (!stored) {
      // Deleted since (or an upload that was rolled back): nothing to make.
      this.logger.log({ imageId, key: event.key }, 'original gone: event ignored');
      return 'skipped';
    }
    const now = new Date();
    const leaseUntil = new Date(now.getTime() + LEASE_SECONDS * 1000).toISOString();
    const claimed = await this.metadata.claim({
      imageId,
      bucket: event.bucket,
      key: event.key,
      fileName: keyFileName(event.key),
      now: now.toISOString(),
      leaseUntil,
    });
    if (!claimed) {
      const current = await this.metadata.get(imageId);
      if (current?.Status === 'PROCESSING') throw new ImageBusyError(imageId);
      this.logger.log({ imageId, status: current?.Status }, 'already processed: event ignored');
      return 'skipped';
    }
    try {
      const reason = await this.make(imageId, event.key, stored, leaseUntil);
      if (reason === undefined) return 'ready';
      await this.metadata.markFailed(imageId, leaseUntil, reason, new Date().toISOString());
      this.logger.warn({ imageId, key: event.key, reason }, 'image FAILED');
      return 'failed';
    } catch (error) {
      await this.metadata
        .release(imageId, leaseUntil, new Date().toISOString())
        .catch(() => undefined);
      throw error;
    }
  }

  /** Makes and stores every rendition; returns the reason when the image itself is unusable. */
  private async make(
    imageId: string,
    key: string,
    stored: { size: number; etag: string | undefined },
    leaseUntil: string,
  ): Promise<string | undefined> {
    const maxBytes = this.config.images.maxBytes;
    if (stored.size > maxBytes) {
      return `The original is ${stored.size} bytes, over the limit of ${maxBytes} bytes (IMAGES_MAX_BYTES)`;
    }
    // The original goes to a private scratch file (Lambda: /tmp), removed whatever happens.
    const scratch = await mkdtemp(join(tmpdir(), 'codecraft-image-'));
    try {
      const path = join(scratch, 'original');
      const size = await this.objects.download(key, stored.etag, path);
      return await this.render(imageId, key, { path, size }, leaseUntil);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  private async render(
    imageId: string,
    key: string,
    source: { path: string; size: number },
    leaseUntil: string,
  ): Promise<string | undefined> {
    const sniffed = await sniffContent(await readHead(source.path), source.size <= SNIFF_BYTES);
    const type =
      sniffed.kind === 'binary'
        ? sniffed.type
        : sniffed.kind === 'text'
          ? 'text/plain'
          : sniffed.kind;
    if (!IMAGE_CONTENT_TYPES.includes(type)) {
      return `Not a supported image: its bytes are ${type} (accepted: ${IMAGE_CONTENT_TYPES.join(', ')})`;
    }
    let rendering;
    try {
      rendering = await this.resizer.render(source.path, this.plan);
    } catch (error) {
      if (error instanceof ImageRejectedError) return error.reason;
      throw error;
    }
    const variants = rendering.outputs.map((output) => this.placed(imageId, key, output));
    await Promise.all(
      rendering.outputs.map((output, i) =>
        this.objects.put(variants[i]?.Key ?? '', output.data, output.contentType),
      ),
    );
    const ready = await this.metadata.markReady(imageId, leaseUntil, {
      size: source.size,
      width: rendering.original.width,
      height: rendering.original.height,
      format: rendering.original.format,
      contentType: type,
      resizedImageKey: resizedKey(key),
      variants,
      now: new Date().toISOString(),
    });
    if (!ready) {
      // Deleted (or taken over) while we worked: leave nothing behind that no item points to.
      await this.objects.deleteAll(variants.map((v) => v.Key));
      this.logger.warn({ imageId }, 'image changed hands while processing: renditions dropped');
      return undefined;
    }
    this.logger.log(
      { imageId, width: rendering.original.width, height: rendering.original.height },
      'image READY',
    );
    return undefined;
  }

  private placed(imageId: string, key: string, output: RenderedImage): ImageVariant {
    return {
      Name: output.name,
      Format: output.format,
      ContentType: CONTENT_TYPES[output.format],
      Key:
        output.name === 'resized'
          ? resizedKey(key)
          : variantKey(imageId, output.name, EXTENSIONS[output.format]),
      Width: output.width,
      Height: output.height,
      Bytes: output.data.length,
    };
  }
}

/** The first bytes of a file, for sniffing. */
async function readHead(path: string): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await file.read(head, 0, SNIFF_BYTES, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
