import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Logger } from '@nestjs/common';
import { declareResources } from '#libs/aws';
import type {
  ClaimResult,
  DeliveryClaim,
  DeliveryLogRepository,
  DeliveryRecord,
} from './delivery-log.repository.js';
import { DeliveryInProgressError, EmailNotifier } from './email-notifier.service.js';
import type { OutgoingEmail, SesMailer } from './ses.mailer.js';
import { TemplateRenderer } from './template-renderer.js';
import type { DirectoryUser, UserDirectory } from './user-directory.adapter.js';

// The renderer takes the templates the loaded domains declare; this spec declares its own.
declareResources({
  owner: 'email-notifier-spec',
  emailTemplates: [
    {
      name: 'change',
      subject: 'Your project "{{project.name}}" {{change}}',
      html: '<p>{{project.name}} {{change}}</p>',
      text: '{{project.name}} {{change}}',
    },
  ],
});

const data = {
  eventId: 'e-1',
  change: 'was created',
  actor: 'you',
  occurredAt: 'now',
  project: { id: 'p', name: 'Atlas', description: 'd', version: 1 },
};
const verified: DirectoryUser = {
  sub: 'u-1',
  email: 'u1@example.test',
  emailVerified: true,
  enabled: true,
};

function setup(user: DirectoryUser | undefined, claim: ClaimResult['outcome'] = 'claimed') {
  const calls: string[] = [];
  const sent: OutgoingEmail[] = [];
  let failSend = false;
  const record = { status: 'sent' } as DeliveryRecord;
  const log = {
    claim: (c: DeliveryClaim) => {
      calls.push(`claim ${c.eventId}/${c.recipient} ${c.address}`);
      const result: ClaimResult =
        claim === 'claimed' ? { outcome: 'claimed', attempts: 1 } : { outcome: claim, record };
      return Promise.resolve(result);
    },
    markSent: (_k: unknown, id: string) => (calls.push(`sent ${id}`), Promise.resolve()),
    markFailed: (_k: unknown, e: string) => (calls.push(`failed ${e}`), Promise.resolve()),
    recordSkipped: (_k: unknown, reason: string) => (
      calls.push(`skipped ${reason}`),
      Promise.resolve()
    ),
  };
  const mailer = {
    send: (email: OutgoingEmail) => {
      if (failSend) return Promise.reject(new Error('SES throttled'));
      sent.push(email);
      return Promise.resolve('ses-1');
    },
  };
  const directory = { findBySub: () => Promise.resolve(user) };
  const notifier = new EmailNotifier(
    directory as unknown as UserDirectory,
    new TemplateRenderer(),
    log as unknown as DeliveryLogRepository,
    mailer as unknown as SesMailer,
  );
  const notify = () =>
    notifier.notify({ eventId: 'e-1', recipient: 'u-1', template: 'change', data });
  return {
    calls,
    sent,
    notify,
    failSending: () => {
      failSend = true;
    },
  };
}

describe('EmailNotifier', () => {
  before(() => {
    Logger.overrideLogger(false);
  });

  it('claims, sends the rendered template and records the SES message id', async () => {
    const { calls, sent, notify } = setup(verified);
    assert.equal(await notify(), 'sent');
    assert.deepEqual(calls, ['claim e-1/u-1 u1@example.test', 'sent ses-1']);
    assert.equal(sent[0]?.to, 'u1@example.test');
    assert.equal(sent[0].subject, 'Your project "Atlas" was created');
  });

  it('sends nothing for an event already delivered (redelivery)', async () => {
    const { calls, sent, notify } = setup(verified, 'done');
    assert.equal(await notify(), 'duplicate');
    assert.equal(sent.length, 0);
    assert.equal(calls.length, 1);
  });

  it('throws while another consumer holds the delivery, so SQS retries later', async () => {
    const { sent, notify } = setup(verified, 'busy');
    await assert.rejects(notify(), DeliveryInProgressError);
    assert.equal(sent.length, 0);
  });

  it('records a failed send and rethrows it', async () => {
    const { calls, notify, failSending } = setup(verified);
    failSending();
    await assert.rejects(notify(), /SES throttled/);
    assert.deepEqual(calls.at(-1), 'failed Error: SES throttled');
  });

  it('skips users it cannot or should not e-mail, and logs why', async () => {
    for (const [user, reason] of [
      [undefined, 'user not found'],
      [{ ...verified, enabled: false }, 'user disabled'],
      [{ ...verified, email: undefined }, 'user has no e-mail address'],
      [{ ...verified, emailVerified: false }, 'e-mail address not verified'],
    ] as const) {
      const { calls, sent, notify } = setup(user);
      assert.equal(await notify(), 'skipped');
      assert.deepEqual(calls, [`skipped ${reason}`]);
      assert.equal(sent.length, 0);
    }
  });
});
