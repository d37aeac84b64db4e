import {
  paginateListIdentities,
  VerifyEmailIdentityCommand,
  type SESClient,
} from '@aws-sdk/client-ses';
import type { StepLog } from './bootstrap-support.js';

/** Sender identities (verification requested; emulators verify at once). */
export class SesIdentities {
  private listed: Promise<Set<string>> | undefined;

  constructor(
    private readonly ses: SESClient,
    private readonly log: StepLog,
  ) {}

  async ensure(identity: string): Promise<void> {
    const exists = (await this.existing()).has(identity);
    if (!exists) await this.ses.send(new VerifyEmailIdentityCommand({ EmailAddress: identity }));
    this.log.record('email-identity', identity, exists ? 'unchanged' : 'created');
  }

  /** Listed, not looked up: LocalStack reports any address asked about as verified. */
  private existing(): Promise<Set<string>> {
    this.listed ??= (async () => {
      const names = new Set<string>();
      for await (const page of paginateListIdentities(
        { client: this.ses },
        { IdentityType: 'EmailAddress' },
      ))
        for (const name of page.Identities ?? []) names.add(name);
      return names;
    })();
    return this.listed;
  }
}
