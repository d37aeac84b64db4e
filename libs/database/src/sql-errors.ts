import { QueryFailedError } from 'typeorm';

/** True when a write broke a unique index, on MySQL/MariaDB (ER_DUP_ENTRY) or SQLite. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driver = error.driverError as { code?: unknown; errno?: unknown; message?: unknown };
  const message = typeof driver.message === 'string' ? driver.message : error.message;
  return (
    driver.code === 'ER_DUP_ENTRY' ||
    driver.errno === 1062 ||
    /UNIQUE constraint failed/i.test(message)
  );
}

/**
 * Escapes LIKE wildcards so user input matches literally. Pair it with `ESCAPE '!'`: the bang is
 * portable (a backslash means different things to MySQL and SQLite string literals).
 */
export const LIKE_ESCAPE = '!';
export function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (c) => `${LIKE_ESCAPE}${c}`);
}
