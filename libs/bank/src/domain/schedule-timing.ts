import { CronTime, validateCronExpression } from 'cron';

export class CronExpressionError extends Error {
  override name = 'CronExpressionError';
}

/**
 * Checks a cron expression (5 fields, or 6 with seconds first; evaluated in UTC) and that it ever
 * fires. Throws CronExpressionError with the parser's reason.
 */
export function assertValidCron(expression: string): void {
  const { valid, error } = validateCronExpression(expression);
  if (!valid) {
    throw new CronExpressionError(
      `Invalid cron expression: ${error instanceof Error ? error.message : 'not parseable'}`,
    );
  }
  if (nextOccurrence(expression, new Date()) === undefined)
    throw new CronExpressionError('The cron expression never fires');
}

/** The first occurrence strictly after `after` (UTC), or undefined if there is none. */
export function nextOccurrence(expression: string, after: Date): Date | undefined {
  try {
    const next = new CronTime(expression, 'UTC').getNextDateFrom(after);
    return next.isValid ? next.toJSDate() : undefined;
  } catch {
    return undefined;
  }
}
