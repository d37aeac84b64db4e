import { DomainError, NotFoundError } from '#libs/platform';
import type { ImageStatus } from './image.js';

export class ImageNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('Image', id);
  }
}

export class ImageVariantNotFoundError extends DomainError {
  constructor(id: string, variant: string, available: readonly string[]) {
    super('image-variant-not-found', 404, 'Image variant not found', {
      detail: `Image ${id} has no variant ${variant}`,
      extensions: { available },
    });
  }
}

export class ImageNotReadyError extends DomainError {
  constructor(id: string, status: ImageStatus, reason: string | undefined) {
    super('image-not-ready', 409, 'Image not ready', {
      detail:
        status === 'FAILED'
          ? `Image ${id} could not be processed: ${reason ?? 'unknown reason'}`
          : `Image ${id} is ${status}: its variants are not made yet`,
      extensions: { imageStatus: status },
    });
  }
}

/** Another worker holds a live claim on the image: the event is retried later. */
export class ImageBusyError extends Error {
  constructor(id: string) {
    super(`Image ${id} is being processed by another worker`);
    this.name = 'ImageBusyError';
  }
}
