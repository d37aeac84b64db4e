import { randomBytes } from 'node:crypto';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { isAwsError } from '../../aws-errors.js';
import type { ResourceNames } from '../../resource-names.js';
import type { SecretSpec } from '../manifest.types.js';
import type { StepLog } from './bootstrap-support.js';

/** Emulators only: creates the manifest's secrets with generated values; never overwrites one. */
export class LocalSecrets {
  constructor(
    private readonly secrets: SecretsManagerClient,
    private readonly names: ResourceNames,
    private readonly senderAddress: string,
    private readonly log: StepLog,
  ) {}

  async ensure(spec: SecretSpec): Promise<void> {
    const name = this.names.secret(spec.name);
    const exists = await this.secrets
      .send(new DescribeSecretCommand({ SecretId: name }))
      .then(() => true)
      .catch((error: unknown) => {
        if (isAwsError(error, 'ResourceNotFoundException')) return false;
        throw error;
      });
    if (!exists) {
      const value = spec.generate === 'sender-address' ? this.senderAddress : generatePassword();
      await this.secrets.send(
        new CreateSecretCommand({ Name: name, SecretString: value, Description: spec.purpose }),
      );
    }
    this.log.record('secret', name, exists ? 'unchanged' : 'created');
  }
}

function generatePassword(): string {
  // Satisfies the pool policy: upper, lower, digits, length >= 12.
  return `Cc1${randomBytes(18).toString('base64url')}`;
}
