import { createHash } from 'node:crypto';
import { safeObjectName } from '#libs/files';

/** Where originals go; the bucket notification sends this prefix's ObjectCreated events to SQS. */
export const ORIGINALS_PREFIX = 'images/originals/';
const VARIANTS_PREFIX = 'images/variants/';
const IMAGE_ID = /^[\w-]{1,64}$/;
/** Ids the API makes (randomUUID); other segments are never taken for an image id. */
const API_IMAGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** `images/originals/{imageId}/{safe-name}`: server-made, one segment per part. */
export function originalKey(imageId: string, fileName: string): string {
  if (!IMAGE_ID.test(imageId)) throw new Error(`Unsafe image id: ${imageId}`);
  return `${ORIGINALS_PREFIX}${imageId}/${safeObjectName(fileName)}`;
}

/** The original system's thumbnail key; outside the originals prefix, so it triggers nothing. */
export function resizedKey(key: string): string {
  return `resized-${key}`;
}

export function variantKey(imageId: string, name: string, extension: string): string {
  return `${VARIANTS_PREFIX}${imageId}/${name}.${extension}`;
}

/**
 * The image an original belongs to: the id segment of keys the API made (a UUID), otherwise (an
 * object put under the prefix by any other client) a stable id derived from the whole key, so a
 * redelivered event finds the same item and two objects never share one. Undefined for keys outside the originals prefix.
 */
export function imageIdForKey(key: string): string | undefined {
  if (!key.startsWith(ORIGINALS_PREFIX) || key.length === ORIGINALS_PREFIX.length) {
    return undefined;
  }
  const [id, ...rest] = key.slice(ORIGINALS_PREFIX.length).split('/');
  if (id && rest.length === 1 && rest[0] && API_IMAGE_ID.test(id)) return id;
  return `s3-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

/** The last segment of a key: the name an image put straight into the bucket is shown with. */
export function keyFileName(key: string): string {
  const last = key.split('/').pop();
  return last === undefined || last === '' ? 'image' : last;
}
