import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ModuleMetadata } from '@nestjs/common';
import type { AppConfig } from '#libs/config';
import { configureHttpApp } from '#libs/platform';
import { ApiModule } from './api.module.js';

/** Builds the configured (not yet listening) API application; shared by main.ts, lambda.ts and tests. */
export async function createApiApp(
  config: AppConfig,
  extra: ModuleMetadata['imports'] = [],
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config, extra), {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
  });
  configureHttpApp(app, config);
  return app;
}
