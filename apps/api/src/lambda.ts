import { configure as serverlessExpress } from '@vendia/serverless-express';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { AppConfig } from '#libs/config';
import { createApiApp } from './api-app.js';

type Handler = (
  event: APIGatewayProxyEvent | APIGatewayProxyEventV2,
  context: Context,
) => Promise<unknown>;

let cached: Promise<{ handle: Handler; close: () => Promise<void> }> | undefined;

async function bootstrap() {
  const app = await createApiApp(AppConfig.fromEnv());
  await app.init();
  const handle = serverlessExpress({
    app: app.getHttpAdapter().getInstance(),
  }) as unknown as Handler;
  return { handle, close: () => app.close() };
}

/** API Gateway (HTTP API v2 or REST v1) → Nest through serverless-express; the app is built once per container. */
export const handler: Handler = async (event, context) => {
  cached ??= bootstrap().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return (await cached).handle(event, context);
};

/** Closes the cached application (database pool, SDK clients); used by tests and local tooling. */
export async function closeCachedApp(): Promise<void> {
  const current = cached;
  cached = undefined;
  if (current) await (await current).close();
}
