import { fileTypeFromBuffer } from 'file-type';

/** Bytes read before deciding a type: enough for magic numbers and an OOXML zip's first entries. */
export const SNIFF_BYTES = 64 * 1024;
export const GENERIC_TYPE = 'application/octet-stream';

const ALIASES: Readonly<Record<string, string>> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/x-png': 'image/png',
  'application/x-pdf': 'application/pdf',
  'application/x-zip-compressed': 'application/zip',
  'application/x-gzip': 'application/gzip',
  'text/comma-separated-values': 'text/csv',
  'text/x-markdown': 'text/markdown',
};

/** Short names (the original `file_type`, file extensions) of the types we know. */
const EXTENSION_TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  txt: 'text/plain',
  text: 'text/plain',
  csv: 'text/csv',
  md: 'text/markdown',
  markdown: 'text/markdown',
  json: 'application/json',
  xml: 'application/xml',
  html: 'text/html',
  htm: 'text/html',
  svg: 'image/svg+xml',
  zip: 'application/zip',
  gz: 'application/gzip',
  gzip: 'application/gzip',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  epub: 'application/epub+zip',
};

const TYPE_EXTENSIONS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(EXTENSION_TYPES)
    .filter(([ext]) => !['jpeg', 'text', 'markdown', 'gzip', 'tif', 'htm'].includes(ext))
    .map(([ext, type]) => [type, ext]),
);

/** Formats that are zip archives inside: file-type may only see the zip from a prefix. */
const ZIP_BASED = new Set([
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/epub+zip',
]);

const TEXT_LIKE = new Set([
  'application/json',
  'application/xml',
  'application/x-ndjson',
  'application/yaml',
  'image/svg+xml',
]);

function isTextType(type: string): boolean {
  return type.startsWith('text/') || TEXT_LIKE.has(type);
}

/** `Image/JPG; charset=x` → `image/jpeg`; empty or application/octet-stream → undefined (no claim). */
export function normalizeContentType(value: string | undefined): string | undefined {
  const bare = value?.split(';')[0]?.trim().toLowerCase();
  if (!bare || bare === GENERIC_TYPE || !/^[\w.+-]+\/[\w.+-]+$/.test(bare)) return undefined;
  return ALIASES[bare] ?? bare;
}

/** The original API's `file_type` ("pdf") or a MIME type, as a declared content type. */
export function declaredTypeOf(fileType: string | undefined): string | undefined {
  if (fileType === undefined) return undefined;
  if (fileType.includes('/')) return normalizeContentType(fileType);
  return EXTENSION_TYPES[fileType.trim().replace(/^\./, '').toLowerCase()];
}

/** A short name for a content type ("pdf"): the `fileType` attribute of the original table. */
export function extensionOf(type: string): string {
  return TYPE_EXTENSIONS[type] ?? type.split('/')[1]?.replace(/^(x-|vnd\.)/, '') ?? 'bin';
}

function typeFromFileName(name: string | undefined): string | undefined {
  const match = /\.([\p{L}\p{N}]{1,16})$/u.exec(name ?? '');
  return match?.[1] ? EXTENSION_TYPES[match[1].toLowerCase()] : undefined;
}

/**
 * True for UTF-8 text without NUL or unusual control bytes. When `complete` is false the sample
 * is a prefix, so a multi-byte character cut at its end is tolerated.
 */
export function looksLikeText(sample: Uint8Array, complete: boolean): boolean {
  for (const byte of sample) {
    if (byte < 0x20 && ![0x09, 0x0a, 0x0c, 0x0d, 0x1b].includes(byte)) return false;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

export type SniffedContent =
  | { readonly kind: 'binary'; readonly type: string; readonly extension: string }
  | { readonly kind: 'text' }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'empty' };

/** What the first bytes say: a known binary format (magic numbers), text, or unknown. */
export async function sniffContent(head: Uint8Array, complete: boolean): Promise<SniffedContent> {
  if (head.length === 0) return { kind: 'empty' };
  const detected = await fileTypeFromBuffer(head);
  if (detected) {
    const type = normalizeContentType(detected.mime) ?? detected.mime;
    return { kind: 'binary', type, extension: detected.ext };
  }
  return looksLikeText(head, complete) ? { kind: 'text' } : { kind: 'unknown' };
}

export interface ContentClaim {
  /** Content type the client declared (normalised), if any. */
  readonly declared: string | undefined;
  /** Client file name: its extension refines plain text (`.csv`, `.md`), never overrides bytes. */
  readonly fileName?: string;
}

export type ContentVerdict =
  | { readonly ok: true; readonly contentType: string; readonly fileType: string }
  | {
      readonly ok: false;
      readonly reason: 'mismatch' | 'not-allowed' | 'empty';
      readonly declared: string | undefined;
      readonly detected: string;
    };

/**
 * Decides the stored content type from the bytes: magic numbers win; a declared type must agree
 * with them (text may be declared as any text type, a zip as a zip-based office format); unknown
 * binary content is application/octet-stream. The result must be in `allowed`.
 */
export function judgeContent(
  sniffed: SniffedContent,
  claim: ContentClaim,
  allowed: readonly string[],
): ContentVerdict {
  const { declared } = claim;
  let detected: string;
  let contentType: string | undefined;
  switch (sniffed.kind) {
    case 'empty':
      return { ok: false, reason: 'empty', declared, detected: 'empty' };
    case 'binary':
      detected = sniffed.type;
      if (declared === undefined || declared === detected) contentType = detected;
      else if (detected === 'application/zip' && ZIP_BASED.has(declared)) contentType = declared;
      break;
    case 'text': {
      detected = 'text/plain';
      const fromName = typeFromFileName(claim.fileName);
      if (declared === undefined) {
        contentType = fromName !== undefined && isTextType(fromName) ? fromName : detected;
      } else if (isTextType(declared)) {
        contentType = declared;
      }
      break;
    }
    case 'unknown':
      detected = GENERIC_TYPE;
      if (declared === undefined) contentType = detected;
      break;
  }
  if (contentType === undefined) return { ok: false, reason: 'mismatch', declared, detected };
  if (!allowed.includes(contentType)) {
    return { ok: false, reason: 'not-allowed', declared, detected: contentType };
  }
  const fileType =
    sniffed.kind === 'binary' && contentType === sniffed.type
      ? sniffed.extension
      : extensionOf(contentType);
  return { ok: true, contentType, fileType };
}
