/** A DynamoDB LastEvaluatedKey of an index query (all key attributes are strings). */
export type PageKey = Readonly<Record<string, string>>;

/** Opaque page cursor: base64url of the LastEvaluatedKey's JSON. */
export function encodeCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor and checks it belongs to this query: exactly the expected attributes, all
 * strings, and the same partition value (so a cursor cannot page through someone else's items).
 * Returns undefined when it does not.
 */
export function decodeCursor(
  cursor: string,
  expected: { readonly attributes: readonly string[]; readonly partition: [string, string] },
): PageKey | undefined {
  if (!/^[\w-]{1,2048}$/.test(cursor)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const entries = Object.entries(parsed as Record<string, unknown>);
  const wanted = new Set(expected.attributes);
  if (entries.length !== wanted.size) return undefined;
  if (!entries.every(([name, value]) => wanted.has(name) && typeof value === 'string'))
    return undefined;
  const key = parsed as PageKey;
  const [name, value] = expected.partition;
  return key[name] === value ? key : undefined;
}
