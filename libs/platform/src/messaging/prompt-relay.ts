import type { Logger } from '@nestjs/common';

/**
 * Runs an outbox relay right after a commit, within the request that committed, so that an event
 * leaves at once even where no process relays every second (Lambda). Never throws and never holds
 * the request longer than `timeoutMs`: whatever it does not send, the scheduled relay sends.
 */
export async function relayPromptly(
  relay: () => Promise<unknown>,
  timeoutMs: number,
  logger: Pick<Logger, 'warn'>,
  outbox: string,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      resolve('timeout');
    }, timeoutMs);
  });
  try {
    const outcome = await Promise.race([relay().then(() => 'done' as const), timedOut]);
    if (outcome === 'timeout')
      logger.warn(
        { outbox, timeoutMs },
        'relay after commit still running; the schedule will finish',
      );
  } catch (error) {
    logger.warn({ outbox, err: error }, 'relay after commit failed; the schedule will retry');
  } finally {
    clearTimeout(timer);
  }
}
