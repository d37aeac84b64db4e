import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from '#libs/config';
import { CORRELATION_HEADER, currentCorrelationId, normalizeCorrelationId } from './correlation.js';
import { loggerOptions } from './logger.js';

/** nestjs-pino wired to our options: JSON in production, pretty in dev, correlation id on every line. */
@Module({})
export class LoggingModule {
  static forRoot(name: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            pinoHttp: {
              ...loggerOptions(config, name),
              genReqId: (req: IncomingMessage) =>
                currentCorrelationId() ?? normalizeCorrelationId(req.headers[CORRELATION_HEADER]),
              customLogLevel: (_req, res, error) =>
                error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
              autoLogging: { ignore: (req) => req.url?.startsWith('/health') ?? false },
              quietReqLogger: true,
            },
          }),
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
