import { ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '#libs/config';
import { sendProblem } from '../errors/problem-details.filter.js';
import { correlationMiddleware } from '../logging/correlation.middleware.js';
import { jsonDepthLimit } from './json-depth.js';
import { methodNotAllowed } from './method-not-allowed.js';
import { createOpenApiDocument } from './openapi.js';

/**
 * Everything an HTTP app needs, shared by `main.ts` (listening server) and `lambda.ts`
 * (serverless-express): correlation ids, logging, helmet, CORS, 405 for unrouted methods, body
 * limits, validation, problem+json errors, Swagger at /docs.
 */
export function configureHttpApp(app: NestExpressApplication, config: AppConfig): void {
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.use(correlationMiddleware);
  app.use(helmet());
  app.disable('x-powered-by');
  // The client address (logs, per-address rate limits) from X-Forwarded-For only as far as the
  // configured proxies: the entries beyond them are whatever the client wrote.
  app.set('trust proxy', config.trustProxyHops);
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins.includes('*') ? true : [...config.corsOrigins],
      exposedHeaders: [
        'x-correlation-id',
        'etag',
        'location',
        'retry-after',
        'x-ratelimit-limit',
        'x-ratelimit-remaining',
        'x-ratelimit-reset',
      ],
    });
  }
  // Before the body parser: a method no route takes is refused without reading its body.
  app.use(methodNotAllowed(app.getHttpAdapter().getInstance(), logger));
  app.useBodyParser('json', { limit: config.bodyLimitBytes });
  app.use(jsonDepthLimit());
  // Body-parser failures (bad JSON, too large, too deep) happen before Nest's filters: answer
  // them here.
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    sendProblem(error, req, res, logger);
  });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
    }),
  );
  // Built on the first /docs request, not at boot: scanning every route costs start-up time that
  // a Lambda cold start (or any API call) should not pay.
  const document = () => createOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'CodeCraft API',
  });
}
