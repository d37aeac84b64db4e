/**
 * An image's life: PENDING until its original is in S3 and a worker takes it, PROCESSING while a
 * worker holds its lease, then READY (every variant stored) or FAILED (with a readable reason).
 */
export const IMAGE_STATUSES = ['PENDING', 'PROCESSING', 'READY', 'FAILED'] as const;
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

/**
 * What the API accepts after sniffing the bytes: the formats sharp's prebuilt libvips decodes.
 * HEIC (HEVC) is not among them (no HEVC decoder in the prebuilt binaries); AVIF is.
 */
export const IMAGE_CONTENT_TYPES: readonly string[] = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/avif',
  'image/tiff',
];

export type OutputFormat = 'jpeg' | 'png' | 'webp' | 'avif';

/** One stored rendition: the 128x128 `resized` thumbnail or a configured variant in one format. */
export interface ImageVariant {
  /** `resized` (the original system's thumbnail) or a configured variant name (`thumb`...). */
  readonly Name: string;
  readonly Format: OutputFormat;
  readonly ContentType: string;
  readonly Key: string;
  readonly Width: number;
  readonly Height: number;
  readonly Bytes: number;
}

/**
 * An item of the ImageMetadata table. `ImageID`, `Bucket` and `ResizedImageKey` are the original
 * system's attributes; the rest follows their PascalCase.
 */
export interface ImageRecord {
  readonly ImageID: string;
  readonly Bucket: string;
  /** `images/originals/{ImageID}/{safe-name}` for uploads through the API. */
  readonly OriginalKey: string;
  readonly Status: ImageStatus;
  /** Cognito `sub` of the uploader; absent for objects put in the bucket by other means. */
  readonly OwnerID?: string;
  /** Display name (the client name, cleaned); never a path. */
  readonly FileName: string;
  /** Sniffed type (uploads through the API), declared type (presigned, until processed). */
  readonly ContentType: string;
  readonly CreatedAt: string;
  readonly UpdatedAt: string;
  /** Bytes of the original (once processed). */
  readonly Size?: number;
  /** Upright dimensions of the original (after EXIF orientation). */
  readonly Width?: number;
  readonly Height?: number;
  /** Decoder's name of the original's format (jpeg, png, webp, gif, heif, tiff). */
  readonly Format?: string;
  /** `resized-{OriginalKey}`: the 128x128 thumbnail. */
  readonly ResizedImageKey?: string;
  readonly Variants?: readonly ImageVariant[];
  readonly FailureReason?: string;
  readonly ProcessedAt?: string;
  /** ISO-8601 end of the current worker's claim (PROCESSING only). */
  readonly LeaseUntil?: string;
  /** Epoch seconds: DynamoDB removes PENDING presigned items whose bytes never came. */
  readonly ExpiresAt?: number;
}

export interface ImagePage {
  readonly items: readonly ImageRecord[];
  readonly nextCursor: string | undefined;
}
