/**
 * ETags are the project version: `"3"`. If-Match takes `*`, one tag or a list; the weak form
 * `W/"3"` is accepted too (proxies sometimes weaken tags), and anything unparsable matches nothing.
 */
export type IfMatch = '*' | readonly number[];

export function etagOf(version: number): string {
  return `"${version}"`;
}

export function parseIfMatch(header: string | undefined): IfMatch | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  if (header.trim() === '*') return '*';
  const versions: number[] = [];
  for (const part of header.split(',')) {
    const match = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(part);
    if (match?.[1]) versions.push(Number(match[1]));
  }
  return versions;
}

export function ifMatchAllows(ifMatch: IfMatch | undefined, version: number): boolean {
  return ifMatch === undefined || ifMatch === '*' || ifMatch.includes(version);
}

/** If-None-Match on GET: true when the client's copy is current (answer 304). */
export function ifNoneMatchHits(header: string | undefined, version: number): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const parsed = parseIfMatch(header);
  return Array.isArray(parsed) && parsed.includes(version);
}
