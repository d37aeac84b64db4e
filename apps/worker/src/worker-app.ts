import 'reflect-metadata';
import type { INestApplicationContext, ModuleMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '#libs/config';
import { WorkerModule, type WorkerRuntime } from './worker.module.js';

/** Builds the worker as a Nest application context (no HTTP server). */
export async function createWorkerApp(
  config: AppConfig,
  runtime: WorkerRuntime,
  extra: ModuleMetadata['imports'] = [],
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(
    WorkerModule.forRoot(config, runtime, extra),
    {
      bufferLogs: true,
      abortOnError: false,
    },
  );
  app.useLogger(app.get(Logger));
  return app;
}
