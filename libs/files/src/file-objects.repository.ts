import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { CopyObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { isAwsError } from '#libs/aws';
import { presignGet } from './s3/presign.js';
import { StorageObjects } from './s3/storage-objects.js';

export type { StoredObject } from './s3/storage-objects.js';

/** Project files in the private `storage` bucket. Clients only ever reach them through presigned URLs. */
@Injectable()
export class FileObjectsRepository extends StorageObjects {
  /** Streams `body` to `key`; nothing stays behind if it fails. */
  upload(key: string, body: Readable, contentType: string, fileId: string): Promise<void> {
    return this.stream(key, body, contentType, { 'file-id': fileId });
  }

  /**
   * The object's bytes as a stream (the caller must consume or destroy it). With `etag`, only that
   * version: S3 answers 412 if the object was replaced since it was looked at.
   */
  async open(key: string, etag?: string): Promise<Readable> {
    const result = await this.s3.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(etag ? { IfMatch: etag } : {}) }),
    );
    return result.Body as Readable;
  }

  /**
   * Server-side copy of exactly the checked version (`etag`) to its final key with the checked
   * content type, then removal of the source. Returns false if the source changed meanwhile.
   */
  async promote(from: string, to: string, etag: string, contentType: string): Promise<boolean> {
    try {
      await this.s3.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: to,
          CopySource: `${this.bucket}/${from.split('/').map(encodeURIComponent).join('/')}`,
          CopySourceIfMatch: etag,
          ContentType: contentType,
          MetadataDirective: 'REPLACE',
        }),
      );
    } catch (error) {
      if (isAwsError(error, 'PreconditionFailed')) return false;
      throw error;
    }
    await this.delete(from);
    return true;
  }

  presignDownload(key: string, fileName: string, contentType: string): Promise<string> {
    return presignGet(this.presigner, {
      bucket: this.bucket,
      key,
      fileName,
      contentType,
      expiresInSeconds: this.config.files.downloadUrlExpirySeconds,
    });
  }
}
