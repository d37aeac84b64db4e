import type { EmailTemplateSpec } from './manifest.types.js';

/**
 * E-mail templates, kept in the repository. The bootstrap creates them in SES; the notifications
 * lib renders the same text itself (`{{path}}` placeholders, HTML-escaped in `html`, the subset of
 * Handlebars that SES templates use) and sends it as simple content.
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
];
