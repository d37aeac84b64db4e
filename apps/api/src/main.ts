import { Logger } from 'nestjs-pino';
import { loadConfigOrExit } from '#libs/config';
import { exitGracefullyOnSignals } from '#libs/platform';
import { createApiApp } from './api-app.js';

const config = loadConfigOrExit();
const app = await createApiApp(config);
await app.listen(config.port);
const logger = app.get(Logger);
// SIGTERM/SIGINT: stop accepting connections, finish in-flight requests, close the pools, exit 0.
exitGracefullyOnSignals(app, config.shutdownTimeoutMs, logger);
logger.log(`API listening on http://localhost:${config.port} (Swagger UI at /docs)`);
