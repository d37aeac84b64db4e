import { Injectable, Logger } from '@nestjs/common';
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { ResourceNames, SecretStore } from '#libs/aws';
import { AppConfig } from '#libs/config';
import type { RenderedEmail } from './template-renderer.js';

/** Logical name of the sender secret in the resource manifest. */
export const SES_SENDER_SECRET = 'ses-sender';

export interface OutgoingEmail extends RenderedEmail {
  readonly to: string;
}

/**
 * Sends e-mail through SES (the v1 `SendEmail` API, which moto, LocalStack's free plan and AWS all
 * serve) with content the app rendered from the repository's templates. The From address is the
 * `ses-sender` secret (Secrets Manager, cached), or SES_FROM_ADDRESS where that secret does not
 * exist.
 */
@Injectable()
export class SesMailer {
  private readonly logger = new Logger(SesMailer.name);
  private readonly senderSecretId: string;

  constructor(
    private readonly ses: SESClient,
    private readonly secrets: SecretStore,
    private readonly config: AppConfig,
    names: ResourceNames,
  ) {
    this.senderSecretId = config.ses.senderSecretId ?? names.secret(SES_SENDER_SECRET);
  }

  /** Returns the SES message id. */
  async send(email: OutgoingEmail): Promise<string> {
    const result = await this.ses.send(
      new SendEmailCommand({
        Source: await this.sender(),
        Destination: { ToAddresses: [email.to] },
        Message: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: {
            Html: { Data: email.html, Charset: 'UTF-8' },
            Text: { Data: email.text, Charset: 'UTF-8' },
          },
        },
      }),
    );
    if (!result.MessageId) throw new Error('SES returned no MessageId');
    return result.MessageId;
  }

  async sender(): Promise<string> {
    const fromSecret = (await this.secrets.get(this.senderSecretId))?.trim();
    if (fromSecret) return fromSecret;
    this.logger.warn(
      { secretId: this.senderSecretId },
      'sender secret not found; using SES_FROM_ADDRESS',
    );
    return this.config.ses.fromAddress;
  }
}
