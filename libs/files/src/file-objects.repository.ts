import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { isAwsError, ResourceNames } from '#libs/aws';
import { AppConfig } from '#libs/config';
import { createPresigningClient, presignGet, presignPut, type PresignedPut } from './s3/presign.js';
import { streamToS3 } from './s3/streamed-upload.js';

export interface StoredObject {
  readonly size: number;
  readonly contentType: string | undefined;
  readonly etag: string | undefined;
}

/** Project files in the private `storage` bucket. Clients only ever reach them through presigned URLs. */
@Injectable()
export class FileObjectsRepository implements OnModuleDestroy {
  readonly bucket: string;
  private readonly presigner: S3Client;

  constructor(
    private readonly s3: S3Client,
    names: ResourceNames,
    private readonly config: AppConfig,
  ) {
    this.bucket = names.bucket('storage');
    this.presigner = createPresigningClient(config);
  }

  onModuleDestroy(): void {
    this.presigner.destroy();
  }

  /** Streams `body` to `key`; nothing stays behind if it fails. */
  upload(key: string, body: Readable, contentType: string, fileId: string): Promise<void> {
    return streamToS3(this.s3, {
      bucket: this.bucket,
      key,
      body,
      contentType,
      metadata: { 'file-id': fileId },
    });
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

  /** Idempotent: deleting a missing key succeeds. */
  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  presignUpload(key: string, contentType: string, size: number): Promise<PresignedPut> {
    return presignPut(this.presigner, {
      bucket: this.bucket,
      key,
      contentType,
      size,
      expiresInSeconds: this.config.files.uploadUrlExpirySeconds,
    });
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
