import { createHash, type Hash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';

/** Raised by MeasuringStream when more than `maxBytes` pass through it. */
export class StreamTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The content exceeds ${maxBytes} bytes`);
    this.name = 'StreamTooLargeError';
  }
}

/**
 * Passes bytes through while counting them and computing their SHA-256; fails the stream as soon
 * as the count exceeds `maxBytes`, so an oversized upload stops early instead of being buffered.
 */
export class MeasuringStream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private count = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  get bytes(): number {
    return this.count;
  }

  /** True once more than `maxBytes` were offered (the stream has then failed). */
  get exceeded(): boolean {
    return this.count > this.maxBytes;
  }

  /** Hex SHA-256 of everything seen; call once the stream has finished. */
  sha256(): string {
    return this.hash.copy().digest('hex');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.count += chunk.length;
    if (this.count > this.maxBytes) {
      callback(new StreamTooLargeError(this.maxBytes));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }
}

export interface PeekedStream {
  /** The first bytes (up to the requested size; fewer when the stream is shorter). */
  readonly head: Buffer;
  /** True when `head` is the whole content. */
  readonly complete: boolean;
  /** The whole content again, head included, with back-pressure. */
  readonly stream: Readable;
}

/**
 * Reads the first `size` bytes of a stream (to sniff them) without losing them: the returned
 * stream yields the head, then the rest as it arrives.
 */
export async function peekStream(source: Readable, size: number): Promise<PeekedStream> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let length = 0;
  let complete = false;
  while (length < size) {
    const next = await iterator.next();
    if (next.done) {
      complete = true;
      break;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    chunks.push(chunk);
    length += chunk.length;
  }
  const buffered = Buffer.concat(chunks);
  async function* replay(): AsyncGenerator<Buffer> {
    if (buffered.length > 0) yield buffered;
    if (complete) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return {
    head: buffered.subarray(0, size),
    complete: complete && buffered.length <= size,
    stream: Readable.from(replay(), { objectMode: false }),
  };
}
