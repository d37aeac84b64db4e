import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPermanentSendError } from './send-errors.js';
import { TemplateError } from './template-renderer.js';

const sesError = (name: string) => Object.assign(new Error(name), { name });

describe('isPermanentSendError', () => {
  it('gives up on rejected messages, unverified senders and bad template data', () => {
    assert.ok(isPermanentSendError(sesError('MessageRejected')));
    assert.ok(isPermanentSendError(sesError('MailFromDomainNotVerifiedException')));
    assert.ok(isPermanentSendError(new TemplateError('missing value')));
  });

  it('retries throttling, server errors and anything unknown', () => {
    assert.ok(!isPermanentSendError(sesError('TooManyRequestsException')));
    assert.ok(!isPermanentSendError(sesError('ThrottlingException')));
    assert.ok(!isPermanentSendError(new Error('socket hang up')));
  });
});
