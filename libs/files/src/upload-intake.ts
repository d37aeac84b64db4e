import { pipeline, type Readable } from 'node:stream';
import type { DomainError } from '#libs/platform';
import { base64DecodedLength, decodeBase64Strict } from './content/base64.js';
import {
  judgeContent,
  normalizeContentType,
  sniffContent,
  SNIFF_BYTES,
  type ContentClaim,
  type ContentVerdict,
} from './content/content-sniffer.js';
import { MeasuringStream, peekStream } from './content/measured-stream.js';
import {
  EmptyFileError,
  FileTooLargeError,
  FileTypeMismatchError,
  FileTypeNotAllowedError,
  InvalidBase64Error,
  MalformedUploadError,
  MultipartRequiredError,
} from './file.errors.js';
import {
  MultipartError,
  readMultipartFile,
  type MultipartFile,
  type MultipartRequest,
} from './multipart-file.reader.js';

/** Upload intake shared by every domain that receives files (files, images). */

export type AcceptedContent = Extract<ContentVerdict, { ok: true }>;
export type RefusedContent = Extract<ContentVerdict, { ok: false }>;

export interface StoredUpload {
  readonly contentType: string;
  readonly fileType: string;
  readonly size: number;
  readonly sha256: string;
}

export interface IntakeRules {
  readonly maxBytes: number;
  readonly allowedTypes: readonly string[];
  readonly claim: ContentClaim;
}

/** The problem for refused content: empty → 400, declared ≠ bytes or type not allowed → 415. */
export function contentVerdictError(
  verdict: RefusedContent,
  allowedTypes: readonly string[],
): DomainError {
  switch (verdict.reason) {
    case 'empty':
      return new EmptyFileError();
    case 'mismatch':
      return new FileTypeMismatchError(verdict.declared, verdict.detected);
    case 'not-allowed':
      return new FileTypeNotAllowedError(verdict.detected, allowedTypes);
  }
}

/**
 * Sniffs the first bytes of `source` and judges them; refused content throws its problem before
 * anything is stored. Accepted content goes whole (head included) through a measuring stream
 * (size cap, SHA-256) to `store`; over `maxBytes` it throws FileTooLargeError (413).
 */
export async function sniffAndStore(
  source: Readable,
  rules: IntakeRules,
  store: (body: Readable, content: AcceptedContent) => Promise<void>,
): Promise<StoredUpload> {
  const { head, complete, stream } = await peekStream(source, SNIFF_BYTES);
  const verdict = judgeContent(await sniffContent(head, complete), rules.claim, rules.allowedTypes);
  if (!verdict.ok) throw contentVerdictError(verdict, rules.allowedTypes);
  const meter = new MeasuringStream(rules.maxBytes);
  const body = pipeline(stream, meter, () => undefined);
  try {
    await store(body, verdict);
  } catch (error) {
    if (meter.exceeded) throw new FileTooLargeError(rules.maxBytes);
    throw error;
  }
  return {
    contentType: verdict.contentType,
    fileType: verdict.fileType,
    size: meter.bytes,
    sha256: meter.sha256(),
  };
}

/**
 * Runs `use` on the first file part of a multipart/form-data request. Not multipart → 415, a
 * malformed form or no file part → 400; if `use` fails, the rest of the request is drained first
 * and a form cut short is reported as such (400) unless the part was simply too large.
 */
export async function withMultipartFile<T>(
  req: MultipartRequest,
  maxBytes: number,
  use: (part: MultipartFile) => Promise<T>,
): Promise<T> {
  let part: MultipartFile;
  try {
    part = await readMultipartFile(req, maxBytes);
  } catch (error) {
    if (error instanceof MultipartError) {
      if (error.reason === 'not-multipart') throw new MultipartRequiredError(error.message);
      throw new MalformedUploadError(error.message);
    }
    throw error;
  }
  try {
    return await use(part);
  } catch (error) {
    await part.drain();
    if (part.hasExtraFiles())
      throw new MalformedUploadError(
        'The form has more than one file part: send one file per request',
      );
    const failure = part.failure();
    if (failure && !(error instanceof FileTooLargeError)) {
      throw new MalformedUploadError(`The upload was cut short: ${failure.message}`);
    }
    throw error;
  }
}

/**
 * A part's Content-Type as a claim: absent parts reach us as text/plain (RFC 7578's default), so
 * that value claims nothing and the bytes decide.
 */
export function declaredPartType(part: MultipartFile): string | undefined {
  return part.declaredType === 'text/plain' ? undefined : normalizeContentType(part.declaredType);
}

/**
 * The base64 body member `field`: over `maxBytes` decoded → 413 (checked before decoding),
 * invalid base64 → 400.
 */
export function decodeBase64Upload(content: string, maxBytes: number, field: string): Buffer {
  if (base64DecodedLength(content) > maxBytes) {
    throw new FileTooLargeError(maxBytes, `The decoded ${field}`);
  }
  const bytes = decodeBase64Strict(content);
  if (!bytes) throw new InvalidBase64Error(field);
  return bytes;
}
