import { isAwsUnavailable, NETWORK_ERROR_CODES } from '#libs/aws';

/** mysql2 codes of a connection that failed, was lost, or of a server too busy to serve now. */
const SQL_UNAVAILABLE_CODES = [
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_QUERY_TIMEOUT',
];

/** SQLite's BUSY and LOCKED primary result codes (another writer held the lock too long). */
const SQLITE_BUSY_CODES = [5, 6];

interface ErrorShape {
  code?: unknown;
  errno?: unknown;
  errcode?: unknown;
  fatal?: unknown;
  message?: unknown;
  cause?: unknown;
  driverError?: unknown;
}

function isSqlUnavailable(error: ErrorShape): boolean {
  // mysql2 marks every error that broke the connection itself as fatal.
  if (error.fatal === true) return true;
  if (typeof error.code === 'string') {
    if (SQL_UNAVAILABLE_CODES.includes(error.code) || NETWORK_ERROR_CODES.includes(error.code))
      return true;
    if (error.code === 'ERR_SQLITE_ERROR' && typeof error.errcode === 'number')
      return SQLITE_BUSY_CODES.includes(error.errcode & 0xff);
  }
  return false;
}

/**
 * True when an error means that a dependency (an AWS service, the SQL database) could not be
 * reached, did not answer within its timeout, or is too busy right now: the request was fine and
 * may succeed later, so it answers 503 with Retry-After instead of 500. Looks through `cause` and
 * TypeORM's `driverError`.
 */
export function isDependencyUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  if (isAwsUnavailable(error)) return true;
  const shape = error as ErrorShape;
  if (isSqlUnavailable(shape)) return true;
  return (
    isDependencyUnavailable(shape.driverError, depth + 1) ||
    isDependencyUnavailable(shape.cause, depth + 1)
  );
}
