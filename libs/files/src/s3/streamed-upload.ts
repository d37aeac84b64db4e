import type { Readable } from 'node:stream';
import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

/** S3's minimum multipart part size; with queueSize 2 at most ~10 MiB of a body is in memory. */
export const UPLOAD_PART_BYTES = 5 * 1024 * 1024;
const UPLOAD_QUEUE_SIZE = 2;

export interface StreamedUploadRequest {
  readonly bucket: string;
  readonly key: string;
  readonly body: Readable;
  readonly contentType: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * Streams a body of unknown length to S3: one PUT when it fits in a part, a multipart upload
 * otherwise. If the body fails (too large, client gone) or S3 fails, the multipart upload is
 * aborted and any object written is deleted, so nothing partial stays behind; then it rethrows.
 */
export async function streamToS3(client: S3Client, request: StreamedUploadRequest): Promise<void> {
  const upload = new Upload({
    client,
    params: {
      Bucket: request.bucket,
      Key: request.key,
      Body: request.body,
      ContentType: request.contentType,
      ...(request.metadata ? { Metadata: { ...request.metadata } } : {}),
    },
    partSize: UPLOAD_PART_BYTES,
    queueSize: UPLOAD_QUEUE_SIZE,
    leavePartsOnError: false,
  });
  try {
    await upload.done();
  } catch (error) {
    await upload.abort().catch(() => undefined);
    await client
      .send(new DeleteObjectCommand({ Bucket: request.bucket, Key: request.key }))
      .catch(() => undefined);
    throw error;
  }
}
