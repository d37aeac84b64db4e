import type { INestApplicationContext } from '@nestjs/common';

interface ShutdownLogger {
  log(message: string): void;
  error(message: string): void;
}

/**
 * SIGTERM/SIGINT: close the app (HTTP server stops accepting, pollers drain in-flight messages,
 * pools close) and exit 0. Past `timeoutMs`, or on a second signal, exit 1 at once.
 */
export function exitGracefullyOnSignals(
  app: INestApplicationContext,
  timeoutMs: number,
  logger: ShutdownLogger,
): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      logger.error(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    closing = true;
    logger.log(`${signal} received: shutting down gracefully`);
    const timer = setTimeout(() => {
      logger.error(`shutdown took longer than ${timeoutMs} ms: exiting`);
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    app.close().then(
      () => {
        logger.log('shutdown complete');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
