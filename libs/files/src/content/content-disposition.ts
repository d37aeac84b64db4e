/** RFC 5987 attr-char: what may stay unencoded in `filename*`. */
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

function encodeExtValue(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    out +=
      byte < 0x80 && ATTR_CHAR.test(char)
        ? char
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * An ASCII stand-in for old clients: accents dropped (NFKD without combining marks), anything
 * outside printable ASCII or risky in a quoted-string (`"`, `\`, `%`, `;`) replaced by `_`.
 */
export function asciiFallbackName(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]|["\\%;]/g, '_')
    .trim();
  return /[^_.\s]/.test(ascii) ? ascii : 'file';
}

/**
 * `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266): modern clients use
 * the exact UTF-8 name, older ones the ASCII fallback. Control characters never reach the header.
 */
export function contentDisposition(
  name: string,
  disposition: 'attachment' | 'inline' = 'attachment',
): string {
  const clean = name.replace(/[\p{Cc}\p{Cf}]/gu, '');
  return `${disposition}; filename="${asciiFallbackName(clean)}"; filename*=UTF-8''${encodeExtValue(clean)}`;
}
