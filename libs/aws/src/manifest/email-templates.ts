import type { EmailTemplateSpec } from './manifest.types.js';

/**
 * E-mail templates, kept in the repository and nowhere else: the notifications lib renders them
 * (`{{path}}` placeholders, HTML-escaped in `html`) and sends the result as simple content. They
 * are not created in SES, so there is one source, testable offline and the same on every emulator.
 */
export const emailTemplates: readonly EmailTemplateSpec[] = [
  {
    name: 'project-change',
    subject: 'Your project "{{project.name}}" {{change}}',
    html: [
      '<!doctype html>',
      '<html><body style="font-family:sans-serif">',
      '<p>Hello,</p>',
      '<p>Your project <strong>{{project.name}}</strong> {{change}} by {{actor}} at {{occurredAt}}.</p>',
      '<p>Description: {{project.description}}</p>',
      '<p style="color:#777;font-size:12px">Project {{project.id}}, version {{project.version}}. Event {{eventId}}. CodeCraft</p>',
      '</body></html>',
    ].join('\n'),
    text: [
      'Hello,',
      '',
      'Your project "{{project.name}}" {{change}} by {{actor}} at {{occurredAt}}.',
      'Description: {{project.description}}',
      '',
      'Project {{project.id}}, version {{project.version}}. Event {{eventId}}. CodeCraft',
    ].join('\n'),
  },
  ...bankTemplates(),
];

/** Bank notifications: the same data for all three ({{amount}} etc. are exact decimal strings). */
function bankTemplates(): EmailTemplateSpec[] {
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
  return [
    {
      name: 'deposit-confirmation',
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
    {
      name: 'withdrawal-notice',
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
    {
      name: 'large-operation-alert',
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
  ];
}
