/** True when an SDK v3 error carries one of the given names or codes. */
export function isAwsError(error: unknown, ...names: string[]): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as {
    name?: unknown;
    Code?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  return names.some((n) => candidate.name === n || candidate.Code === n || candidate.code === n);
}

/** HTTP status of an SDK error, when the service answered at all. */
export function awsStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const meta = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata;
  return typeof meta?.httpStatusCode === 'number' ? meta.httpStatusCode : undefined;
}

/**
 * For a DynamoDB TransactionCanceledException: the cancellation code of each transaction item, in
 * order (`ConditionalCheckFailed`, `None`...); an empty list for any other error.
 */
export function cancellationCodes(error: unknown): readonly (string | undefined)[] {
  if (!isAwsError(error, 'TransactionCanceledException')) return [];
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return (reasons ?? []).map((r) => r.Code);
}
