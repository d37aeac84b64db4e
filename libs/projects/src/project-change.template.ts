import type { EmailTemplateSpec } from '#libs/aws';
import { PROJECT_CHANGE_TEMPLATE } from './project-notifier.service.js';

/** The e-mail a project's owner gets when it is created, updated or deleted. */
export const projectChangeTemplate: EmailTemplateSpec = {
  name: PROJECT_CHANGE_TEMPLATE,
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
};
