import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { isAwsError, ResourceNames } from '#libs/aws';
import { AppConfig } from '#libs/config';
import { createPresigningClient, presignPut, type PresignedPut } from './presign.js';
import { createUploadClient, streamToS3 } from './streamed-upload.js';

export interface StoredObject {
  readonly size: number;
  readonly contentType: string | undefined;
  readonly etag: string | undefined;
}

/**
 * Base of the repositories over the private `storage` bucket (files, images): streamed uploads,
 * head, delete, and a presigning client (clients only ever reach objects through presigned URLs).
 * Decorated so that subclasses inherit its constructor's injection metadata.
 */
@Injectable()
export abstract class StorageObjects implements OnModuleDestroy {
  readonly bucket: string;
  protected readonly presigner: S3Client;
  /** Uploads only: a longer per-request deadline that covers sending a part (streamed-upload). */
  private readonly uploader: S3Client;

  constructor(
    protected readonly s3: S3Client,
    names: ResourceNames,
    protected readonly config: AppConfig,
  ) {
    this.bucket = names.bucket('storage');
    this.presigner = createPresigningClient(config);
    this.uploader = createUploadClient(config.aws);
  }

  onModuleDestroy(): void {
    this.presigner.destroy();
    this.uploader.destroy();
  }

  /** Streams `body` to `key`; nothing stays behind if it fails. */
  protected stream(
    key: string,
    body: Readable,
    contentType: string,
    metadata: Readonly<Record<string, string>>,
  ): Promise<void> {
    return streamToS3(this.uploader, { bucket: this.bucket, key, body, contentType, metadata });
  }

  async head(key: string): Promise<StoredObject | undefined> {
    try {
      const result = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        size: result.ContentLength ?? 0,
        contentType: result.ContentType,
        etag: result.ETag,
      };
    } catch (error) {
      if (isAwsError(error, 'NotFound', 'NoSuchKey')) return undefined;
      throw error;
    }
  }

  /** A presigned PUT for exactly this type and size (FILES_UPLOAD_URL_EXPIRY_SECONDS). */
  presignUpload(key: string, contentType: string, size: number): Promise<PresignedPut> {
    return presignPut(this.presigner, {
      bucket: this.bucket,
      key,
      contentType,
      size,
      expiresInSeconds: this.config.files.uploadUrlExpirySeconds,
    });
  }

  /** Idempotent: deleting a missing key succeeds. */
  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
