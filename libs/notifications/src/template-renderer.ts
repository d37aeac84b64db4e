import { Injectable } from '@nestjs/common';
import { resourceManifest, type EmailTemplateSpec } from '#libs/aws';

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** Values a template may reference: `{{project.name}}` reads `data.project.name`. */
export type TemplateData = Readonly<Record<string, unknown>>;

export class TemplateError extends Error {
  override name = 'TemplateError';
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*\}\}/g;
const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
  '=': '&#61;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`=]/g, (c) => HTML_ESCAPES[c] ?? c);
}

function lookup(data: TemplateData, path: string): unknown {
  let value: unknown = data;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function fill(template: string, data: TemplateData, encode: (raw: string) => string): string {
  if (template.includes('{{{') || template.includes('{{#') || template.includes('{{/')) {
    throw new TemplateError('Only {{path}} placeholders are supported (no raw or block helpers)');
  }
  return template.replace(PLACEHOLDER, (_match, path: string) => {
    const value = lookup(data, path);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      return encode(String(value));
    }
    throw new TemplateError(`Template value {{${path}}} is missing or not a scalar`);
  });
}

/**
 * Renders a template (`{{path}}` placeholders, the Handlebars subset that SES templates use): the
 * HTML part escapes every value, the subject drops line breaks, the text part is left as is.
 * A missing value is an error rather than an empty hole in a sent e-mail.
 */
export function renderTemplate(spec: EmailTemplateSpec, data: TemplateData): RenderedEmail {
  return {
    subject: fill(spec.subject, data, (raw) => raw.replace(/[\r\n]+/g, ' ')),
    html: fill(spec.html, data, escapeHtml),
    text: fill(spec.text, data, (raw) => raw),
  };
}

/**
 * Renders the repository's templates by name: each domain declares its own in its resources
 * (projects, bank), so the renderer takes them from the manifest of the loaded domains.
 */
@Injectable()
export class TemplateRenderer {
  private readonly templates = new Map(resourceManifest.emailTemplates.map((t) => [t.name, t]));

  render(name: string, data: TemplateData): RenderedEmail {
    const spec = this.templates.get(name);
    if (!spec) throw new TemplateError(`Unknown e-mail template ${name}`);
    return renderTemplate(spec, data);
  }
}
