import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { declareResources } from '#libs/aws';
import {
  escapeHtml,
  renderTemplate,
  TemplateError,
  TemplateRenderer,
} from './template-renderer.js';

const spec = {
  name: 't',
  subject: 'Hi {{user.name}}',
  html: '<p>{{user.name}} / {{count}} / {{ok}}</p>',
  text: '{{user.name}} {{count}}',
};

describe('template rendering', () => {
  it('fills {{path}} placeholders and escapes values in the HTML part only', () => {
    const rendered = renderTemplate(spec, {
      user: { name: `<b>O'Hara & "co"</b>` },
      count: 3,
      ok: true,
    });
    assert.equal(rendered.subject, `Hi <b>O'Hara & "co"</b>`);
    assert.equal(
      rendered.html,
      '<p>&lt;b&gt;O&#39;Hara &amp; &quot;co&quot;&lt;/b&gt; / 3 / true</p>',
    );
    assert.equal(rendered.text, `<b>O'Hara & "co"</b> 3`);
  });

  it('keeps line breaks out of the subject', () => {
    assert.equal(
      renderTemplate(spec, { user: { name: 'a\r\nBcc: x@y' }, count: 1, ok: 1 }).subject,
      'Hi a Bcc: x@y',
    );
  });

  it('fails on a missing or non-scalar value instead of sending a hole', () => {
    assert.throws(() => renderTemplate(spec, { user: {}, count: 1, ok: 1 }), TemplateError);
    assert.throws(
      () => renderTemplate(spec, { user: { name: {} }, count: 1, ok: 1 }),
      TemplateError,
    );
    assert.throws(
      () => renderTemplate({ ...spec, text: '{{user.constructor}}' }, { user: { name: 'x' } }),
      TemplateError,
      'the lookup never walks the prototype chain',
    );
  });

  it('refuses raw or block helpers it does not implement', () => {
    assert.throws(() => renderTemplate({ ...spec, html: '{{{raw}}}' }, {}), TemplateError);
    assert.throws(() => renderTemplate({ ...spec, text: '{{#if x}}y{{/if}}' }, {}), TemplateError);
  });

  it('escapes every HTML-significant character', () => {
    assert.equal(escapeHtml(`&<>"'\`=`), '&amp;&lt;&gt;&quot;&#39;&#96;&#61;');
  });

  it('renders the templates the loaded domains declare, by name', () => {
    declareResources({ owner: 'template-renderer-spec', emailTemplates: [spec] });
    const renderer = new TemplateRenderer();
    const rendered = renderer.render('t', { user: { name: 'Ada <1>' }, count: 2, ok: true });
    assert.equal(rendered.subject, 'Hi Ada <1>');
    assert.equal(rendered.html, '<p>Ada &lt;1&gt; / 2 / true</p>');
    assert.throws(() => renderer.render('nope', {}), TemplateError);
  });
});
