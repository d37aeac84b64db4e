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

/** Service answers that mean "not now": overloaded, throttled or failing, whatever was asked. */
const UNAVAILABLE_NAMES = [
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'InternalServerErrorException',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'EC2ThrottledException',
  'BandwidthLimitExceeded',
  'PriorRequestNotComplete',
];

/** Socket-level failures the SDK surfaces as they are (after its own retries). */
export const NETWORK_ERROR_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
];

/**
 * True when an AWS call failed because the service could not be reached or did not answer in
 * time (our timeouts, refused or reset connections), or answered that it cannot serve now
 * (throttling, 5xx). The request itself may be fine: a caller should retry later (503).
 */
export function isAwsUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (isAwsError(error, ...UNAVAILABLE_NAMES, ...NETWORK_ERROR_CODES)) return true;
  const candidate = error as { $fault?: unknown; message?: unknown };
  if (candidate.$fault === 'server' && (awsStatus(error) ?? 500) >= 500) return true;
  return typeof candidate.message === 'string' && /socket hang up/i.test(candidate.message);
}
