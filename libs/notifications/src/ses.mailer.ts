import { Injectable } from '@nestjs/common';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { AppConfig } from '#libs/config';
import type { RenderedEmail } from './template-renderer.js';

export interface OutgoingEmail extends RenderedEmail {
  readonly to: string;
}

/** Sends e-mail through SES v2 (simple content, rendered by the app) from SES_FROM_ADDRESS. */
@Injectable()
export class SesMailer {
  constructor(
    private readonly ses: SESv2Client,
    private readonly config: AppConfig,
  ) {}

  /** Returns the SES message id. */
  async send(email: OutgoingEmail): Promise<string> {
    const result = await this.ses.send(
      new SendEmailCommand({
        FromEmailAddress: this.config.ses.fromAddress,
        Destination: { ToAddresses: [email.to] },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: {
              Html: { Data: email.html, Charset: 'UTF-8' },
              Text: { Data: email.text, Charset: 'UTF-8' },
            },
          },
        },
      }),
    );
    if (!result.MessageId) throw new Error('SES returned no MessageId');
    return result.MessageId;
  }
}
