import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { MeasuringStream, peekStream, StreamTooLargeError } from './measured-stream.js';

function sink(): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}

function chunks(count: number, size: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => Buffer.alloc(size, i));
}

describe('MeasuringStream', () => {
  it('counts and hashes what passes through', async () => {
    const data = chunks(10, 1000);
    const meter = new MeasuringStream(1_000_000);
    await pipeline(Readable.from(data), meter, sink());
    assert.equal(meter.bytes, 10_000);
    assert.equal(meter.sha256(), createHash('sha256').update(Buffer.concat(data)).digest('hex'));
  });

  it('fails as soon as the limit is passed', async () => {
    const meter = new MeasuringStream(2500);
    await assert.rejects(
      pipeline(Readable.from(chunks(10, 1000)), meter, sink()),
      StreamTooLargeError,
    );
    assert.ok(meter.exceeded);
    assert.equal(meter.bytes, 3000);
  });
});

describe('peekStream', () => {
  it('returns the head and replays everything', async () => {
    const data = chunks(5, 300);
    const peeked = await peekStream(Readable.from(data), 700);
    assert.equal(peeked.head.length, 700);
    assert.equal(peeked.complete, false);
    const all: Buffer[] = [];
    for await (const chunk of peeked.stream) all.push(chunk as Buffer);
    assert.deepEqual(Buffer.concat(all), Buffer.concat(data));
  });

  it('says when the head is the whole content', async () => {
    const peeked = await peekStream(Readable.from([Buffer.from('short')]), 700);
    assert.equal(peeked.complete, true);
    assert.equal(peeked.head.toString(), 'short');
  });
});
