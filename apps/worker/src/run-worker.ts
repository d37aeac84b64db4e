import type { ModuleMetadata } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { loadConfigOrExit } from '#libs/config';
import { createWorkerApp } from './worker-app.js';

/**
 * Starts the long-running worker. SIGTERM/SIGINT stop the pollers, drain in-flight messages
 * (bounded by SHUTDOWN_TIMEOUT_MS) and exit 0.
 */
export async function runWorker(extra: ModuleMetadata['imports'] = []): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createWorkerApp(config, 'process', extra);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.init();
  app.get(Logger).log('worker started');
}
