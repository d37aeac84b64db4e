import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '#libs/config';
import {
  declaredPartType,
  decodeBase64Upload,
  displayFileName,
  FileTooLargeError,
  FileTypeNotAllowedError,
  InvalidCursorError,
  normalizeContentType,
  sniffAndStore,
  withMultipartFile,
  type MultipartRequest,
  type PresignedPut,
} from '#libs/files';
import { isAdmin, type Principal } from '#libs/platform';
import { IMAGE_CONTENT_TYPES, type ImagePage, type ImageRecord } from './image.js';
import {
  ImageNotFoundError,
  ImageNotReadyError,
  ImageVariantNotFoundError,
} from './image.errors.js';
import { originalKey } from './image-keys.js';
import { BadImageCursorError, ImageMetadataRepository } from './image-metadata.repository.js';
import { ImageObjectsRepository } from './image-objects.repository.js';

export interface Base64ImageUpload {
  readonly fileName: string;
  readonly content: string;
}

export interface ImageUploadUrlRequest {
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
}

export interface ImageUploadTicket {
  readonly image: ImageRecord;
  readonly upload: PresignedPut;
}

/** A presigned PENDING item outlives its upload URL by a day, then DynamoDB's TTL removes it. */
const PENDING_GRACE_SECONDS = 24 * 3600;

/**
 * API side of images: originals in S3 under `images/originals/{id}/`, facts in ImageMetadata. The
 * worker does the rest when S3 announces the object. Only the owner (or an administrator) sees an
 * image; to anybody else it does not exist (404).
 */
@Injectable()
export class ImagesService {
  private readonly logger = new Logger(ImagesService.name);

  constructor(
    private readonly metadata: ImageMetadataRepository,
    private readonly objects: ImageObjectsRepository,
    private readonly config: AppConfig,
  ) {}

  /** multipart/form-data, streamed to S3: sniffed, size-limited by IMAGES_MAX_BYTES. */
  uploadMultipart(actor: Principal, req: MultipartRequest): Promise<ImageRecord> {
    const maxBytes = this.config.images.maxBytes;
    return withMultipartFile(req, maxBytes, (part) =>
      this.ingest(actor, part.stream, maxBytes, part.fileName, declaredPartType(part)),
    );
  }

  /** The small JSON form: base64 content, limited like the files' (FILES_BASE64_MAX_BYTES). */
  uploadBase64(actor: Principal, input: Base64ImageUpload): Promise<ImageRecord> {
    const maxBytes = this.config.files.base64MaxBytes;
    const bytes = decodeBase64Upload(input.content, maxBytes, 'content');
    return this.ingest(actor, Readable.from([bytes]), maxBytes, input.fileName, undefined);
  }

  /**
   * A presigned PUT straight to the original's key, and a PENDING item. No completion call: the
   * upload's S3 event starts the processing, which checks the bytes.
   */
  async createUploadUrl(
    actor: Principal,
    request: ImageUploadUrlRequest,
  ): Promise<ImageUploadTicket> {
    const contentType = normalizeContentType(request.contentType);
    if (!contentType || !IMAGE_CONTENT_TYPES.includes(contentType)) {
      throw new FileTypeNotAllowedError(contentType ?? request.contentType, IMAGE_CONTENT_TYPES);
    }
    const maxBytes = this.config.images.maxBytes;
    if (request.size > maxBytes) throw new FileTooLargeError(maxBytes, 'The image');
    const image = this.newImage(actor, request.fileName, contentType);
    const expiresAt =
      Math.floor(Date.now() / 1000) +
      this.config.files.uploadUrlExpirySeconds +
      PENDING_GRACE_SECONDS;
    const pending = { ...image, ExpiresAt: expiresAt };
    await this.metadata.create(pending);
    const upload = await this.objects.presignUpload(image.OriginalKey, contentType, request.size);
    return { image: pending, upload };
  }

  get(actor: Principal, imageId: string): Promise<ImageRecord> {
    return this.accessible(actor, imageId);
  }

  async list(actor: Principal, limit: number, cursor: string | undefined): Promise<ImagePage> {
    try {
      return await this.metadata.listByOwner(actor.sub, limit, cursor);
    } catch (error) {
      if (error instanceof BadImageCursorError) throw new InvalidCursorError();
      throw error;
    }
  }

  /** Presigned view URLs of the original and every rendition (READY images only). */
  async urls(image: ImageRecord): Promise<ReadonlyMap<string, string>> {
    const urls = new Map<string, string>();
    if (image.Status !== 'READY') return urls;
    urls.set(
      'original',
      await this.objects.presignView(image.OriginalKey, image.FileName, image.ContentType),
    );
    for (const variant of image.Variants ?? []) {
      const name = `${variant.Name}.${variant.Format}`;
      urls.set(
        name,
        await this.objects.presignView(
          variant.Key,
          viewName(image, variant.Name, variant.Format),
          variant.ContentType,
        ),
      );
    }
    return urls;
  }

  /** `original`, `resized` or a variant name; `format` picks among its formats (WebP first). */
  async variantUrl(
    actor: Principal,
    imageId: string,
    name: string,
    format: string | undefined,
  ): Promise<string> {
    const image = await this.accessible(actor, imageId);
    if (image.Status !== 'READY') {
      throw new ImageNotReadyError(imageId, image.Status, image.FailureReason);
    }
    const urls = await this.urls(image);
    const wanted =
      name === 'original'
        ? 'original'
        : (image.Variants ?? []).find(
            (v) => v.Name === name && (format === undefined || v.Format === format),
          );
    const url =
      typeof wanted === 'string'
        ? urls.get(wanted)
        : wanted && urls.get(`${wanted.Name}.${wanted.Format}`);
    if (!url)
      throw new ImageVariantNotFoundError(imageId, format ? `${name} (${format})` : name, [
        ...urls.keys(),
      ]);
    return url;
  }

  /** The original, every rendition, then the item (a failure half-way leaves a retryable image). */
  async remove(actor: Principal, imageId: string): Promise<void> {
    const image = await this.accessible(actor, imageId);
    await this.objects.deleteAll([image.OriginalKey, ...(image.Variants ?? []).map((v) => v.Key)]);
    await this.metadata.delete(imageId);
    this.logger.log({ imageId }, 'image deleted');
  }

  private async accessible(actor: Principal, imageId: string): Promise<ImageRecord> {
    const image = await this.metadata.get(imageId);
    if (!image || (image.OwnerID !== actor.sub && !isAdmin(actor))) {
      throw new ImageNotFoundError(imageId);
    }
    return image;
  }

  private newImage(actor: Principal, fileName: string, contentType: string): ImageRecord {
    const imageId = randomUUID();
    const name = displayFileName(fileName);
    const now = new Date().toISOString();
    return {
      ImageID: imageId,
      Bucket: this.objects.bucket,
      OriginalKey: originalKey(imageId, name),
      Status: 'PENDING',
      OwnerID: actor.sub,
      FileName: name,
      ContentType: contentType,
      CreatedAt: now,
      UpdatedAt: now,
    };
  }

  /**
   * The item is written (PENDING) before the bytes reach S3, so the worker, which S3 may call as
   * soon as the object exists, always finds it; if the upload fails the item goes again.
   */
  private async ingest(
    actor: Principal,
    source: Readable,
    maxBytes: number,
    fileName: string,
    declared: string | undefined,
  ): Promise<ImageRecord> {
    let image: ImageRecord | undefined;
    try {
      const stored = await sniffAndStore(
        source,
        { maxBytes, allowedTypes: IMAGE_CONTENT_TYPES, claim: { declared, fileName } },
        async (body, content) => {
          image = this.newImage(actor, fileName, content.contentType);
          await this.metadata.create(image);
          await this.objects.upload(image.OriginalKey, body, content.contentType, image.ImageID);
        },
      );
      if (!image) throw new Error('sniffAndStore resolved without storing');
      this.logger.log(
        { imageId: image.ImageID, size: stored.size, contentType: stored.contentType },
        'image original stored',
      );
      return { ...image, Size: stored.size };
    } catch (error) {
      if (image) await this.metadata.delete(image.ImageID).catch(() => undefined);
      throw error;
    }
  }
}

/** `photo.jpg` → `photo-thumb.webp`: what a browser saves a rendition as. */
export function viewName(
  image: Pick<ImageRecord, 'FileName'>,
  variant: string,
  format: string,
): string {
  const base = image.FileName.replace(/\.[^.]*$/, '') || 'image';
  return `${base}-${variant}.${format === 'jpeg' ? 'jpg' : format}`;
}
