import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { AppConfig } from '#libs/config';
import { loggerOptions, redactUrlCredentials } from './logger.js';

const presigned =
  'http://127.0.0.1:4566/bucket/p/f/a.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20261202%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261202T000000Z&X-Amz-Expires=60&X-Amz-Security-Token=SESSIONTOKEN&X-Amz-Signature=0123abcd&X-Amz-SignedHeaders=host';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

describe('logger: presigned URLs are credentials', () => {
  it('redacts signature, session token and credential, keeps the rest of the URL', () => {
    const redacted = redactUrlCredentials(presigned);
    assert.doesNotMatch(redacted, /0123abcd|SESSIONTOKEN|AKIAEXAMPLE/);
    assert.match(redacted, /X-Amz-Signature=\[redacted\]/);
    assert.match(redacted, /^http:\/\/127\.0\.0\.1:4566\/bucket\/p\/f\/a\.pdf\?/);
    assert.match(redacted, /X-Amz-Expires=60/);
  });

  it('never writes one to a log line: response headers, nested errors, message strings', () => {
    const { lines, stream } = capture();
    const config = AppConfig.fromEnv({ LOG_FORMAT: 'json', LOG_LEVEL: 'info' });
    const logger = pino(loggerOptions(config, 'test'), stream);
    logger.info({ res: { statusCode: 302, headers: { location: presigned } } }, 'redirect');
    logger.error({ err: { message: `GET ${presigned} failed`, cause: [presigned] } }, 'failed');
    logger.info(`sent the client to ${presigned}`);
    const output = lines.join('');
    assert.equal(lines.length, 3);
    assert.doesNotMatch(output, /0123abcd|SESSIONTOKEN|AKIAEXAMPLE/);
    assert.equal(output.match(/X-Amz-Signature=\[redacted\]/g)?.length, 4);
  });
});
