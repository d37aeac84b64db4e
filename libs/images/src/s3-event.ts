/** One object of an S3 event notification, its key URL-decoded. */
export interface S3ObjectEvent {
  readonly bucket: string;
  readonly key: string;
  readonly eventName: string;
  readonly size: number | undefined;
}

/**
 * S3 writes keys in event notifications form-encoded: `+` for a space, `%XX` for the rest
 * (`images%2Foriginals%2Fa+b.png`). A key that does not decode is kept as it came.
 */
export function decodeS3Key(raw: string): string {
  const spaced = raw.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Raised for an SQS body that is neither an S3 event nor S3's test message. */
export class NotAnS3EventError extends Error {
  constructor(detail: string) {
    super(`Not an S3 event notification: ${detail}`);
    this.name = 'NotAnS3EventError';
  }
}

/**
 * The object records of an S3 event notification as SQS delivers it (the original Lambda read
 * `Records[0].s3.bucket.name` and `Records[0].s3.object.key`; every record is read here). S3's
 * `s3:TestEvent`, sent when the notification is configured, has no records: [].
 */
export function parseS3Event(body: string): S3ObjectEvent[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new NotAnS3EventError('the body is not JSON');
  }
  if (!isRecord(parsed)) throw new NotAnS3EventError('the body is not an object');
  if (parsed.Event === 's3:TestEvent') return [];
  if (!Array.isArray(parsed.Records)) throw new NotAnS3EventError('no Records');
  return parsed.Records.map((record: unknown, index) => {
    const s3 = isRecord(record) && isRecord(record.s3) ? record.s3 : undefined;
    const bucket = s3 && isRecord(s3.bucket) ? s3.bucket.name : undefined;
    const object = s3 && isRecord(s3.object) ? s3.object : undefined;
    if (typeof bucket !== 'string' || !object || typeof object.key !== 'string') {
      throw new NotAnS3EventError(`record ${index} has no s3.bucket.name / s3.object.key`);
    }
    return {
      bucket,
      key: decodeS3Key(object.key),
      eventName: isRecord(record) && typeof record.eventName === 'string' ? record.eventName : '',
      size: typeof object.size === 'number' ? object.size : undefined,
    };
  });
}
