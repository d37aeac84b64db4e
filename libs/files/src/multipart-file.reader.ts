import type { IncomingHttpHeaders } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import busboy from 'busboy';

export interface MultipartRequest extends Readable {
  readonly headers: IncomingHttpHeaders;
}

export interface MultipartFile {
  readonly fieldName: string;
  /** The name as the client sent it (untrusted; display data only). */
  readonly fileName: string;
  /** The part's Content-Type as the client sent it (untrusted). */
  readonly declaredType: string | undefined;
  readonly stream: Readable;
  /**
   * Discards whatever the client is still sending and resolves once the request is read to its
   * end, so that an error answer is not sent into a half-read request.
   */
  drain(): Promise<void>;
  /** The parse error that cut the stream short (malformed form, client gone), if any. */
  failure(): Error | undefined;
  /** True when the form holds more than one file part (the stream then fails instead of ending). */
  hasExtraFiles(): boolean;
}

export class MultipartError extends Error {
  constructor(
    readonly reason: 'not-multipart' | 'malformed' | 'no-file' | 'extra-file',
    message: string,
  ) {
    super(message);
    this.name = 'MultipartError';
  }
}

/**
 * Starts parsing a multipart/form-data request and resolves with its first file part, whose bytes
 * stream on as the client sends them (nothing is buffered whole). Plain fields are ignored; a form
 * with a second file part is refused: the part's stream ends only once the whole form is read, and
 * fails instead of ending if another file came, so nothing is stored for it. `maxBytes + 1` bytes at
 * most are passed on, so a measuring stream sees the excess.
 */
export function readMultipartFile(req: MultipartRequest, maxBytes: number): Promise<MultipartFile> {
  return new Promise<MultipartFile>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { files: 1, fields: 20, fieldSize: 64 * 1024, fileSize: maxBytes + 1 },
        defParamCharset: 'utf8',
      });
    } catch (error) {
      reject(new MultipartError('not-multipart', (error as Error).message));
      return;
    }
    let settled = false;
    let failure: Error | undefined;
    let extraFiles = false;
    parser.once('filesLimit', () => {
      extraFiles = true;
    });
    const closed = new Promise<void>((done) => {
      parser.once('close', () => {
        done();
      });
      parser.once('error', () => {
        done();
      });
      req.once('aborted', () => {
        done();
      });
    });
    parser.on('file', (fieldName, stream, info) => {
      if (settled) {
        stream.resume();
        return;
      }
      settled = true;
      // Ends after the whole form is parsed, and only if it held no other file part.
      const whole = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          done(null, chunk);
        },
        flush(done) {
          void closed.then(() => {
            done(
              extraFiles
                ? new MultipartError('extra-file', 'The form has more than one file part')
                : null,
            );
          });
        },
      });
      stream.on('error', (error) => whole.destroy(error));
      stream.pipe(whole);
      resolve({
        fieldName,
        fileName: info.filename ?? '',
        declaredType: info.mimeType,
        stream: whole,
        drain: async () => {
          // A 'readable' listener (left by an abandoned async iterator, as after sniffing) keeps
          // a stream paused whatever resume() says; without flowing, busboy stops reading the
          // request and the answer never leaves.
          whole.removeAllListeners('readable');
          whole.resume();
          stream.resume();
          req.resume();
          await closed;
        },
        failure: () => failure,
        hasExtraFiles: () => extraFiles,
      });
    });
    parser.on('error', (error: Error) => {
      failure = error;
      if (!settled) {
        settled = true;
        req.resume();
        reject(new MultipartError('malformed', error.message));
      }
    });
    parser.on('close', () => {
      if (!settled) {
        settled = true;
        reject(new MultipartError('no-file', 'The form has no file part'));
      }
    });
    req.pipe(parser);
  });
}
