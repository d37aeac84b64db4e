import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resourceManifest } from '#libs/aws';
import { TemplateRenderer } from '#libs/notifications';
import { PROJECT_CHANGE_TEMPLATE } from './project-notifier.service.js';
import './projects.resources.js';

describe('project-change e-mail', () => {
  it('is declared by the projects resources and renders by name', () => {
    assert.ok(resourceManifest.emailTemplates.some((t) => t.name === PROJECT_CHANGE_TEMPLATE));
    const rendered = new TemplateRenderer().render(PROJECT_CHANGE_TEMPLATE, {
      eventId: 'e-1',
      change: 'was created',
      actor: 'you',
      occurredAt: '2026-01-01T00:00:00.000Z',
      project: { id: 'p-1', name: 'Atlas <1>', description: 'maps', version: 1 },
    });
    assert.equal(rendered.subject, 'Your project "Atlas <1>" was created');
    assert.match(rendered.html, /<strong>Atlas &lt;1&gt;<\/strong> was created by you/);
    assert.match(rendered.text, /Event e-1/);
  });
});
