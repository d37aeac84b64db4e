/**
 * File names from clients are display data, never paths. These helpers turn any client name into
 * (1) a display name safe to store and show and (2) a conservative object-key segment.
 */

/** Code points that have no place in a name: controls, bidi/zero-width formatting, surrogates, unassigned. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/gu;
const SEPARATORS = /[/\\]/g;

export const DISPLAY_NAME_MAX_LENGTH = 255;
/** Bytes (UTF-8) of the name segment in an object key; S3 allows 1024 for the whole key. */
export const KEY_NAME_MAX_BYTES = 160;
const EXTENSION_MAX_LENGTH = 16;
const FALLBACK_NAME = 'file';

function truncateCodePoints(value: string, max: number): string {
  const points = Array.from(value);
  return points.length <= max ? value : points.slice(0, max).join('');
}

function utf8Length(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

function truncateBytes(value: string, maxBytes: number): string {
  let points = Array.from(value).slice(0, maxBytes);
  while (points.length > 0 && utf8Length(points.join('')) > maxBytes) points = points.slice(0, -1);
  return points.join('');
}

/**
 * The name shown to people and sent back in Content-Disposition: NFC, without invisible or
 * direction-changing characters (so "\u202Efdp.exe" cannot pose as "exe.pdf"), path separators
 * replaced, trimmed, at most 255 code points.
 */
export function displayFileName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/[\t\n\v\f\r]/g, ' ')
    .replace(INVISIBLE, '')
    .replace(SEPARATORS, '_')
    .replace(/\s+/gu, ' ')
    .trim();
  const limited = truncateCodePoints(cleaned, DISPLAY_NAME_MAX_LENGTH).trim();
  return limited === '' || /^\.+$/.test(limited) ? FALLBACK_NAME : limited;
}

/** Splits `name` into base and extension (without the dot); the extension is letters/digits only. */
function splitExtension(name: string): { base: string; extension: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return { base: name, extension: '' };
  const extension = name.slice(dot + 1);
  if (extension.length === 0 || extension.length > EXTENSION_MAX_LENGTH) {
    return { base: name, extension: '' };
  }
  if (!/^[\p{L}\p{N}]+$/u.test(extension)) return { base: name, extension: '' };
  return { base: name.slice(0, dot), extension };
}

/**
 * One object-key segment derived from a client name: NFKC (so full-width "／" and "．" become the
 * characters they imitate before being judged), only letters, marks, digits and `._()-` kept,
 * every other run of characters (separators, spaces, `..`, controls, bidi and zero-width
 * characters) reduced to one `_` or `.`, no leading dots, at most 160 UTF-8 bytes, extension kept.
 * The result never contains `/`, `\` or `..` and is never empty.
 */
export function safeObjectName(name: string): string {
  const normalized = name
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/[^\p{L}\p{M}\p{N}._()-]+/gu, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/_{2,}/g, '_');
  const { base, extension } = splitExtension(normalized);
  const suffix = extension ? `.${extension.toLowerCase()}` : '';
  const room = KEY_NAME_MAX_BYTES - utf8Length(suffix);
  const trimmedBase = truncateBytes(base.replace(/^[._]+/, ''), room).replace(/[._]+$/, '');
  return `${trimmedBase || FALLBACK_NAME}${suffix}`;
}

function keyPrefix(projectId: string, fileId: string): string {
  for (const part of [projectId, fileId]) {
    if (!/^[\w-]{1,64}$/.test(part)) throw new Error(`Unsafe key segment: ${part}`);
  }
  return `${projectId}/${fileId}/`;
}

/** The server-generated key of a project file: `{projectId}/{fileId}/{safe-name}`. */
export function fileObjectKey(projectId: string, fileId: string, name: string): string {
  return `${keyPrefix(projectId, fileId)}${safeObjectName(name)}`;
}

/**
 * Where a presigned upload lands before it is checked: `.pending/{projectId}/{fileId}`, under one
 * prefix of its own, so that the bucket's lifecycle rule (which filters by prefix only) expires
 * uploads never completed; no project key starts with a dot.
 */
export function fileStagingKey(projectId: string, fileId: string): string {
  return `.pending/${keyPrefix(projectId, fileId).slice(0, -1)}`;
}
