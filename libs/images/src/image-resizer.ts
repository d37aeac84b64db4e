import { createRequire } from 'node:module';
import type sharpModule from 'sharp';
import type { Metadata, Sharp, SharpOptions } from 'sharp';
import type { AppConfig } from '#libs/config';
import type { OutputFormat } from './image.js';

/** What the resizer reads of the configuration (`AppConfig['images']` fits). */
export type ResizerSettings = Pick<AppConfig['images'], 'maxInputPixels' | 'sharpThreads'>;

type SharpFactory = typeof sharpModule;

/**
 * sharp (and libvips with it: ~90 ms and tens of MB) is loaded by the first `ImageResizer`, not
 * when this module is imported: the API imports `#libs/images` for uploads and reads but never
 * resizes, so its processes (and Lambda cold starts) do not pay for it. Node's module cache makes
 * every later construction reuse the loaded module.
 */
const requireCommonJs = createRequire(import.meta.url);

/** The original system's square thumbnail (`resized-{key}`). */
export const THUMBNAIL_SIZE = 128;

export interface VariantSpec {
  readonly name: string;
  /** Longest side in pixels (fit `inside`, never enlarged). */
  readonly size: number;
}

export interface RenderPlan {
  /** Make the 128x128 cover thumbnail (in the original's format). */
  readonly thumbnail: boolean;
  readonly variants: readonly VariantSpec[];
  /** Extra formats of every variant besides the original's (WebP; AVIF when enabled). */
  readonly formats: readonly OutputFormat[];
}

export interface RenderedImage {
  /** `resized` for the thumbnail, else the variant name. */
  readonly name: string;
  readonly format: OutputFormat;
  readonly contentType: string;
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
}

export interface Rendering {
  /** Upright dimensions of the original and its decoder format name. */
  readonly original: { readonly width: number; readonly height: number; readonly format: string };
  readonly outputs: readonly RenderedImage[];
}

/** The bytes are not an image sharp can use: the reason is meant for people (FAILED items). */
export class ImageRejectedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ImageRejectedError';
  }
}

export const CONTENT_TYPES: Readonly<Record<OutputFormat, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
};

export const EXTENSIONS: Readonly<Record<OutputFormat, string>> = {
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  avif: 'avif',
};

/**
 * The "original's format" for outputs: web formats stay as they are; GIF becomes PNG (first frame,
 * lossless, keeps transparency), TIFF and anything else JPEG; HEIF-family input here is AVIF.
 */
export function outputFormatFor(inputFormat: string): OutputFormat {
  switch (inputFormat) {
    case 'jpeg':
    case 'png':
    case 'webp':
      return inputFormat;
    case 'gif':
      return 'png';
    case 'heif':
    case 'avif':
      return 'avif';
    default:
      return 'jpeg';
  }
}

/**
 * The size the original is decoded to once, before every output is cut from it: small enough for
 * the largest variant (longest side), large enough for the cover thumbnail (shortest side), never
 * larger than the original. JPEG and WebP decoders shrink on load to about this size, which is
 * where most of the speed comes from.
 */
export function workingSize(
  width: number,
  height: number,
  plan: Pick<RenderPlan, 'thumbnail' | 'variants'>,
): { width: number; height: number } {
  const largest = Math.max(0, ...plan.variants.map((v) => v.size));
  const forVariants = largest / Math.max(width, height);
  const forThumbnail = plan.thumbnail ? THUMBNAIL_SIZE / Math.min(width, height) : 0;
  const scale = Math.min(1, Math.max(forVariants, forThumbnail));
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/** Orientations 5-8 turn the image a quarter: its upright width is the stored height. */
function upright(meta: Metadata): { width: number; height: number } {
  const quarter = (meta.orientation ?? 1) >= 5;
  return quarter
    ? { width: meta.height, height: meta.width }
    : { width: meta.width, height: meta.height };
}

/** Longest side an original may declare (WebP's own limit; 16,384 px is a 16K image). */
export const MAX_SIDE_PIXELS = 16_384;
/** Most elongated shape an original may have (a 360° panorama is about 8:1). */
export const MAX_ASPECT_RATIO = 64;

function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return `The image exceeds the pixel limit: ${message}`;
  if (/unsupported image format/i.test(message)) return 'Not an image format sharp can decode';
  return `The image is truncated or corrupt: ${message}`;
}

/**
 * The only place sharp is used. Settings, chosen for a worker that decodes many different large
 * images, a few at a time:
 * - `sharp.cache(false)`: libvips' operation cache only pays off when the same input is processed
 *   again; here it would hold decoded pixels of images already done.
 * - `sharp.concurrency(IMAGES_SHARP_THREADS)` (default 1): libvips threads per image. The worker
 *   runs IMAGES_WORKER_CONCURRENCY images at once (default 2, one per core), which scales better
 *   than several threads fighting over the same cores; 0 means one thread per core.
 * - `limitInputPixels` (IMAGES_MAX_INPUT_PIXELS), checked on the header before any pixel is
 *   decoded, and again by libvips itself; `failOn: 'error'` refuses truncated or corrupt data while
 *   tolerating the harmless warnings many cameras' files raise; `sequentialRead` streams the decode.
 * Every output is auto-oriented from EXIF (`rotate()`) and carries no metadata (sharp strips EXIF,
 * XMP and the ICC profile after converting to sRGB); JPEG is progressive with optimised Huffman
 * tables, PNG zlib level 7 with adaptive filtering (level 9
 * costs about twice the time for ~1% fewer bytes).
 * It depends on sharp and its settings only (no Nest, no SDK): the worker module provides it with a
 * factory, and scripts or the bench use it as it is.
 */
export class ImageResizer {
  private readonly input: SharpOptions;
  private readonly sharp: SharpFactory;

  constructor(settings: ResizerSettings) {
    const sharp = requireCommonJs('sharp') as SharpFactory;
    this.sharp = sharp;
    sharp.cache(false);
    sharp.concurrency(settings.sharpThreads);
    this.input = {
      limitInputPixels: settings.maxInputPixels,
      failOn: 'error',
      sequentialRead: true,
    };
  }

  /** Decodes `source` (the bytes, or a file's path) once and cuts every output of `plan` from it. */
  async render(source: Buffer | string, plan: RenderPlan): Promise<Rendering> {
    const meta = await this.header(source);
    const { width, height } = upright(meta);
    const limit = this.input.limitInputPixels as number;
    if (meta.width * meta.height > limit) {
      throw new ImageRejectedError(
        `The image declares ${meta.width}x${meta.height} (${meta.width * meta.height} pixels), over the limit of ${limit} pixels (IMAGES_MAX_INPUT_PIXELS)`,
      );
    }
    if (
      Math.max(meta.width, meta.height) > MAX_SIDE_PIXELS ||
      Math.max(meta.width, meta.height) > MAX_ASPECT_RATIO * Math.min(meta.width, meta.height)
    ) {
      // A few pixels' area can still declare a 40,000,000-pixel-long line, which takes libvips
      // a gigabyte and minutes to resize: refused from the header, with the reason.
      throw new ImageRejectedError(
        `The image declares ${meta.width}x${meta.height}: sides over ${MAX_SIDE_PIXELS} pixels or shapes longer than ${MAX_ASPECT_RATIO}:1 are refused`,
      );
    }
    const own = outputFormatFor(meta.format);
    if (plan.variants.length === 0) {
      // The thumbnail alone: one pipeline, the decoder shrinking on load straight to it.
      const square = this.sharp(source, this.input)
        .rotate()
        .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'cover' });
      const outputs = plan.thumbnail ? [await this.encode('resized', square, own)] : [];
      return { original: { width, height, format: meta.format }, outputs };
    }
    const working = workingSize(width, height, plan);
    const decoded = await this.attempt(() =>
      this.sharp(source, this.input)
        .rotate()
        .resize(working.width, working.height, { fit: 'fill' })
        .raw()
        .toBuffer({ resolveWithObject: true }),
    );
    const raw = {
      raw: {
        width: decoded.info.width,
        height: decoded.info.height,
        channels: decoded.info.channels,
      },
    };
    const jobs: Promise<RenderedImage>[] = [];
    if (plan.thumbnail) {
      const square = this.sharp(decoded.data, raw).resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, {
        fit: 'cover',
      });
      jobs.push(this.encode('resized', square, own));
    }
    const formats = [...new Set<OutputFormat>([...plan.formats, own])];
    for (const variant of plan.variants) {
      for (const format of formats) {
        const scaled = this.sharp(decoded.data, raw).resize(variant.size, variant.size, {
          fit: 'inside',
          withoutEnlargement: true,
        });
        jobs.push(this.encode(variant.name, scaled, format));
      }
    }
    return { original: { width, height, format: meta.format }, outputs: await Promise.all(jobs) };
  }

  private async header(source: Buffer | string): Promise<Metadata> {
    // Header only (no pixel is decoded): the limit is checked on it by `render`, with the numbers.
    return this.attempt(() =>
      this.sharp(source, { ...this.input, limitInputPixels: false }).metadata(),
    );
  }

  private async encode(name: string, image: Sharp, format: OutputFormat): Promise<RenderedImage> {
    const { data, info } = await this.attempt(() =>
      withEncoder(image, format).toBuffer({ resolveWithObject: true }),
    );
    return {
      name,
      format,
      contentType: CONTENT_TYPES[format],
      data,
      width: info.width,
      height: info.height,
    };
  }

  private async attempt<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new ImageRejectedError(describeFailure(error));
    }
  }
}

function withEncoder(image: Sharp, format: OutputFormat): Sharp {
  switch (format) {
    case 'jpeg':
      return image
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 82, progressive: true, optimiseCoding: true });
    case 'png':
      return image.png({ compressionLevel: 7, adaptiveFiltering: true });
    case 'webp':
      return image.webp({ quality: 80, effort: 4 });
    case 'avif':
      return image.avif({ quality: 50, effort: 4 });
  }
}
