import type { ModuleMetadata } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { loadConfigOrExit } from '#libs/config';
import { exitGracefullyOnSignals } from '#libs/platform';
import { createWorkerApp } from './worker-app.js';

/**
 * Starts the long-running worker. SIGTERM/SIGINT stop the pollers, drain in-flight messages
 * (bounded by SHUTDOWN_TIMEOUT_MS) and exit 0.
 */
export async function runWorker(extra: ModuleMetadata['imports'] = []): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createWorkerApp(config, 'process', extra);
  await app.init();
  const logger = app.get(Logger);
  exitGracefullyOnSignals(app, config.shutdownTimeoutMs, logger);
  logger.log('worker started');
}
