import type { EmailTemplateSpec } from '#libs/aws';
import { BANK_TEMPLATES, type BankTemplate } from './domain/bank-event.js';

type Content = Omit<EmailTemplateSpec, 'name'>;

const footer = 'Account {{accountId}}. Event {{eventId}}. CodeCraft Bank';
const page = (lines: readonly string[]) =>
  [
    '<!doctype html>',
    '<html><body style="font-family:sans-serif">',
    '<p>Hello {{holderName}},</p>',
    ...lines,
    `<p style="color:#777;font-size:12px">${footer}</p>`,
    '</body></html>',
  ].join('\n');
const text = (lines: readonly string[]) =>
  ['Hello {{holderName}},', '', ...lines, '', footer].join('\n');

/** One per template a bank rule names; the same data for all ({{amount}} etc. are exact decimals). */
const CONTENT: Readonly<Record<BankTemplate, Content>> = {
  'deposit-confirmation': {
    subject: 'Deposit of {{amount}} {{currency}} received',
    html: page([
      '<p>We received a deposit of <strong>{{amount}} {{currency}}</strong> ({{reference}}) on {{bookedAt}}.</p>',
      '<p>Your balance is now <strong>{{balanceAfter}} {{currency}}</strong>.</p>',
    ]),
    text: text([
      'We received a deposit of {{amount}} {{currency}} ({{reference}}) on {{bookedAt}}.',
      'Your balance is now {{balanceAfter}} {{currency}}.',
    ]),
  },
  'withdrawal-notice': {
    subject: 'Withdrawal of {{amount}} {{currency}}',
    html: page([
      '<p>A withdrawal of <strong>{{amount}} {{currency}}</strong> ({{reference}}) was booked on {{bookedAt}}.</p>',
      '<p>Your balance is now <strong>{{balanceAfter}} {{currency}}</strong>.</p>',
    ]),
    text: text([
      'A withdrawal of {{amount}} {{currency}} ({{reference}}) was booked on {{bookedAt}}.',
      'Your balance is now {{balanceAfter}} {{currency}}.',
    ]),
  },
  'large-operation-alert': {
    subject: 'Large {{type}} of {{amount}} {{currency}} on your account',
    html: page([
      '<p><strong>Large operation alert:</strong> a {{type}} of <strong>{{amount}} {{currency}}</strong> ({{reference}}) was booked on {{bookedAt}}.</p>',
      '<p>Your balance is now <strong>{{balanceAfter}} {{currency}}</strong>. If you did not expect it, contact us.</p>',
    ]),
    text: text([
      'Large operation alert: a {{type}} of {{amount}} {{currency}} ({{reference}}) was booked on {{bookedAt}}.',
      'Your balance is now {{balanceAfter}} {{currency}}. If you did not expect it, contact us.',
    ]),
  },
};

/** The bank's e-mail templates (rendered by the notifications lib, never created in SES). */
export const bankEmailTemplates: readonly EmailTemplateSpec[] = BANK_TEMPLATES.map((name) => ({
  name,
  ...CONTENT[name],
}));
