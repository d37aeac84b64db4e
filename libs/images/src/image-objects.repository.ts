import { Injectable } from '@nestjs/common';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectsCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { presignGet, StorageObjects } from '#libs/files';

/** Image originals and renditions in the private `storage` bucket; clients get presigned URLs. */
@Injectable()
export class ImageObjectsRepository extends StorageObjects {
  /** Streams an original to S3; nothing stays behind if it fails. */
  upload(key: string, body: Readable, contentType: string, imageId: string): Promise<void> {
    return this.stream(key, body, contentType, { 'image-id': imageId });
  }

  /**
   * Streams the object (only the version `etag` if given) into the file `path` and returns its
   * size. The worker decodes from disk: a large original is never held whole in memory, and
   * libvips reads the file sequentially.
   */
  async download(key: string, etag: string | undefined, path: string): Promise<number> {
    const result = await this.s3.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(etag ? { IfMatch: etag } : {}) }),
    );
    if (!(result.Body instanceof Readable)) throw new Error(`No body stream for ${key}`);
    const file = createWriteStream(path, { mode: 0o600 });
    await pipeline(result.Body, file);
    return file.bytesWritten;
  }

  async put(key: string, data: Buffer, contentType: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: data,
        ContentType: contentType,
        // Renditions never change under their key (a new upload is a new image id).
        CacheControl: 'private, max-age=31536000, immutable',
      }),
    );
  }

  /** Idempotent: missing keys are fine. */
  async deleteAll(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      if (batch.length === 0) continue;
      const result = await this.s3.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      const failed = result.Errors?.[0];
      if (failed) throw new Error(`Could not delete ${failed.Key ?? '?'}: ${failed.Message ?? ''}`);
    }
  }

  /** A short-lived GET shown inline (an <img> source) under `fileName`. */
  presignView(key: string, fileName: string, contentType: string): Promise<string> {
    return presignGet(this.presigner, {
      bucket: this.bucket,
      key,
      fileName,
      contentType,
      disposition: 'inline',
      expiresInSeconds: this.config.images.urlExpirySeconds,
    });
  }
}
