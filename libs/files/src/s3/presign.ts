import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { clientOptions } from '#libs/aws';
import type { AppConfig } from '#libs/config';
import { contentDisposition } from '../content/content-disposition.js';

/**
 * An S3 client used only to sign URLs for clients: it signs for FILES_PUBLIC_ENDPOINT_URL when set
 * (the emulator as the browser sees it), and never adds the SDK's default CRC32 checksum
 * parameters, which would pin a presigned PUT to an empty body.
 */
export function createPresigningClient(config: AppConfig): S3Client {
  const endpoint = config.files.publicEndpoint ?? config.aws.endpoints.S3;
  return new S3Client({
    ...clientOptions(config.aws, 'S3'),
    ...(endpoint ? { endpoint } : {}),
    forcePathStyle: Boolean(endpoint),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export interface PresignedPutRequest {
  readonly bucket: string;
  readonly key: string;
  readonly contentType: string;
  /** Exact size the client announced: signed, so S3 refuses any other length. */
  readonly size: number;
  readonly expiresInSeconds: number;
}

export interface PresignedPut {
  readonly method: 'PUT';
  readonly url: string;
  /** Headers the client must send as they are (they are part of the signature). */
  readonly headers: Readonly<Record<string, string>>;
  readonly expiresAt: string;
}

/**
 * A presigned PUT whose signature covers Content-Type and Content-Length: on AWS a body of another
 * size or type is refused with 403. (moto does not check signatures; completion re-checks both.)
 */
export async function presignPut(
  client: S3Client,
  request: PresignedPutRequest,
): Promise<PresignedPut> {
  const url = await getSignedUrl(
    client,
    new PutObjectCommand({
      Bucket: request.bucket,
      Key: request.key,
      ContentType: request.contentType,
      ContentLength: request.size,
    }),
    {
      expiresIn: request.expiresInSeconds,
      signableHeaders: new Set(['content-type', 'content-length']),
    },
  );
  return {
    method: 'PUT',
    url,
    headers: { 'content-type': request.contentType, 'content-length': String(request.size) },
    expiresAt: new Date(Date.now() + request.expiresInSeconds * 1000).toISOString(),
  };
}

export interface PresignedGetRequest {
  readonly bucket: string;
  readonly key: string;
  /** Name the browser saves the download as (RFC 6266 Content-Disposition). */
  readonly fileName: string;
  readonly contentType: string;
  readonly expiresInSeconds: number;
  readonly disposition?: 'attachment' | 'inline';
}

/** A short-lived GET that makes S3 answer with our Content-Disposition and Content-Type. */
export function presignGet(client: S3Client, request: PresignedGetRequest): Promise<string> {
  return getSignedUrl(
    client,
    new GetObjectCommand({
      Bucket: request.bucket,
      Key: request.key,
      ResponseContentDisposition: contentDisposition(request.fileName, request.disposition),
      ResponseContentType: request.contentType,
    }),
    { expiresIn: request.expiresInSeconds },
  );
}
