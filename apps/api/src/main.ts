import { Logger } from 'nestjs-pino';
import { loadConfigOrExit } from '#libs/config';
import { createApiApp } from './api-app.js';

const config = loadConfigOrExit();
const app = await createApiApp(config);
// SIGTERM/SIGINT: stop accepting connections, finish in-flight requests, close the pools.
app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
await app.listen(config.port);
app.get(Logger).log(`API listening on http://localhost:${config.port} (Swagger UI at /docs)`);
