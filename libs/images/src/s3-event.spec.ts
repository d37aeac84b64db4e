import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeS3Key, NotAnS3EventError, parseS3Event } from './s3-event.js';

const record = (key: string, eventName = 'ObjectCreated:Put') => ({
  eventVersion: '2.1',
  eventSource: 'aws:s3',
  eventName,
  s3: { bucket: { name: 'cc-storage' }, object: { key, size: 10, eTag: 'e' } },
});

describe('S3 event notifications', () => {
  it('reads every record, keys URL-decoded (+ is a space)', () => {
    const body = JSON.stringify({
      Records: [
        record('images%2Foriginals%2Fi%2Fa+b%2Bc+%C3%BC.png'),
        record('images/originals/j/x.jpg'),
      ],
    });
    assert.deepEqual(parseS3Event(body), [
      {
        bucket: 'cc-storage',
        key: 'images/originals/i/a b+c ü.png',
        eventName: 'ObjectCreated:Put',
        size: 10,
      },
      {
        bucket: 'cc-storage',
        key: 'images/originals/j/x.jpg',
        eventName: 'ObjectCreated:Put',
        size: 10,
      },
    ]);
  });

  it("answers S3's test message with no records", () => {
    const body = JSON.stringify({
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Bucket: 'cc-storage',
    });
    assert.deepEqual(parseS3Event(body), []);
  });

  it('refuses bodies that are no S3 event', () => {
    for (const body of ['nope', '[]', '{"jobId":"x"}', '{"Records":[{"s3":{}}]}']) {
      assert.throws(() => parseS3Event(body), NotAnS3EventError, body);
    }
  });

  it('keeps a key that is not valid percent-encoding as it came', () => {
    assert.equal(decodeS3Key('images/100%25+sure'), 'images/100% sure');
    assert.equal(decodeS3Key('bad%E0%A4%A'), 'bad%E0%A4%A');
  });
});
