const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Bytes that `text` decodes to, computed without decoding (after whitespace is removed). */
export function base64DecodedLength(text: string): number {
  const compact = text.replace(/\s+/g, '');
  const padding = compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0;
  return Math.floor((compact.length * 3) / 4) - padding;
}

/**
 * Strict standard base64 (RFC 4648 section 4): whitespace (line breaks of MIME encoders) is ignored,
 * padding is optional but must be right when present. Returns undefined for anything else,
 * where Node's own decoder would silently skip the bad characters.
 */
export function decodeBase64Strict(text: string): Buffer | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(compact)) return undefined;
  const padded = compact.includes('=');
  if (padded && compact.length % 4 !== 0) return undefined;
  if (!padded && compact.length % 4 === 1) return undefined;
  const decoded = Buffer.from(compact, 'base64');
  // Re-encoding must give the input back: rejects non-zero trailing bits ("QR==" is not canonical).
  const canonical = decoded.toString('base64').replace(/=+$/, '');
  return canonical === compact.replace(/=+$/, '') ? decoded : undefined;
}
