import type { Readable } from 'node:stream';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { clientOptions } from '#libs/aws';
import type { AwsSettings } from '#libs/config';

/** S3's minimum multipart part size; with queueSize 2 at most ~10 MiB of a body is in memory. */
export const UPLOAD_PART_BYTES = 5 * 1024 * 1024;
const UPLOAD_QUEUE_SIZE = 2;

/**
 * The S3 client for streamed uploads. Its request timeout is a deadline up to the response
 * headers, so it covers sending the body: a part of up to 5 MiB gets AWS_TRANSFER_TIMEOUT_MS (a
 * floor of ~85 KiB/s by default) instead of AWS_REQUEST_TIMEOUT_MS, which would cut any upload
 * slower than ~1.7 MiB/s. A stalled upload (S3 frozen or gone: nothing written or read for
 * AWS_REQUEST_TIMEOUT_MS) still fails at once, and is then aborted and cleaned up.
 */
export function createUploadClient(aws: AwsSettings): S3Client {
  return new S3Client({
    ...clientOptions(aws, 'S3', {
      requestMs: aws.timeouts.transferMs,
      socketIdleMs: aws.timeouts.requestMs,
    }),
    forcePathStyle: Boolean(aws.endpoints.S3),
  });
}

export interface StreamedUploadRequest {
  readonly bucket: string;
  readonly key: string;
  readonly body: Readable;
  readonly contentType: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * Streams a body of unknown length to S3 (through `createUploadClient`'s client): one PUT when it
 * fits in a part, a multipart upload otherwise. If the body fails (too large, client gone) or S3 fails, the multipart upload is
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
