import { Injectable } from '@nestjs/common';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AppConfig } from '#libs/config';
import { isAwsError } from './aws-errors.js';

/**
 * Reads secrets (sender address, API keys) from Secrets Manager through Powertools Parameters,
 * cached for SECRETS_CACHE_SECONDS per process (a warm Lambda or a worker reads each secret once
 * per period, not once per message).
 */
@Injectable()
export class SecretStore {
  private readonly provider: SecretsProvider;
  private readonly maxAge: number;

  constructor(secrets: SecretsManagerClient, config: AppConfig) {
    this.provider = new SecretsProvider({ awsSdkV3Client: secrets });
    this.maxAge = config.secretsCacheSeconds;
  }

  /** The secret's string value; undefined when no such secret exists. */
  async get(secretId: string): Promise<string | undefined> {
    try {
      const value = await this.provider.get(secretId, { maxAge: this.maxAge });
      if (value === undefined) return undefined;
      return typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
    } catch (error) {
      const cause = error instanceof Error ? error.cause : undefined;
      if (isAwsError(cause, 'ResourceNotFoundException')) return undefined;
      throw error;
    }
  }
}
