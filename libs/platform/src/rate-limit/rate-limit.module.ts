import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ResourceNames } from '#libs/aws';
import type { AppConfig } from '#libs/config';
import { DynamoDbThrottlerStorage } from './dynamodb-throttler.storage.js';
import { RateLimitGuard } from './rate-limit.guard.js';

/**
 * Per-caller rate limiting of the HTTP API (RATE_LIMIT_*): `@nestjs/throttler` with its counters
 * in DynamoDB. Import it after AuthModule: global guards run in the order their modules are
 * imported, and the limit is per verified user only when the AuthGuard has run first.
 */
@Module({})
export class RateLimitModule {
  static forRoot(config: AppConfig): DynamicModule {
    const { enabled, requests, windowSeconds, timeoutMs } = config.rateLimit;
    if (!enabled) return { module: RateLimitModule };
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRootAsync({
          inject: [DynamoDBDocumentClient, ResourceNames],
          useFactory: (documents: DynamoDBDocumentClient, names: ResourceNames) => ({
            throttlers: [{ name: 'default', ttl: windowSeconds * 1000, limit: requests }],
            storage: new DynamoDbThrottlerStorage(documents, names.table('rate-limits'), timeoutMs),
          }),
        }),
      ],
      providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
    };
  }
}
