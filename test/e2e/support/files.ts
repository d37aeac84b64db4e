import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ResourceNames, isAwsError } from '#libs/aws';
import { aws, testConfig } from './harness.js';
import { call, type HttpResult, type TestUser } from './projects.js';

export const names = () => new ResourceNames(testConfig().prefix);
export const bucket = () => names().bucket('storage');
export const metadataTable = () => names().table('file-metadata');

/** Bytes that sniff as a PDF: the magic number, then `size` bytes in total of noise. */
export function pdfBytes(size = 2048): Buffer {
  const head = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');
  return Buffer.concat([head, randomBytes(Math.max(0, size - head.length))]);
}

/** A real 1x1 PNG (file-type checks the chunk structure, not only the signature). */
export const PNG_BYTES = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function createProject(url: string, user: TestUser): Promise<string> {
  const result = await call(url, user, 'POST', '/projects', {
    body: { name: `files-${randomUUID()}`, description: 'files e2e' },
  });
  if (result.status !== 201) throw new Error(`project not created: ${result.text}`);
  return String(result.body.id);
}

function partHeader(boundary: string, name: string, type: string | undefined): Buffer {
  const lines = [
    `--${boundary}`,
    // As browsers do: quotes and line breaks escaped in filename, the exact name in filename*.
    `Content-Disposition: form-data; name="file"; filename="${name.replace(/["\r\n]/g, encodeURIComponent)}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    ...(type ? [`Content-Type: ${type}`] : []),
    '',
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

export interface UploadPart {
  readonly name: string;
  readonly type?: string;
  readonly data: Buffer;
}

/** POST /projects/{id}/files with one file part, built by hand (no form library). */
export function uploadMultipart(
  url: string,
  user: TestUser,
  projectId: string,
  part: UploadPart,
): Promise<HttpResult> {
  return postMultipart(url, `/projects/${projectId}/files`, user, part);
}

/** POST `path` with one multipart file part `file`. */
export async function postMultipart(
  url: string,
  path: string,
  user: TestUser,
  part: UploadPart,
): Promise<HttpResult> {
  const boundary = `----codecraft${randomUUID()}`;
  const body = Buffer.concat([
    partHeader(boundary, part.name, part.type),
    part.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${user.token}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    text,
  };
}

export interface StreamedUpload {
  readonly result: HttpResult;
  readonly size: number;
  readonly sha256: string;
}

/**
 * Streams a generated PDF-looking file of `size` bytes as multipart, chunk by chunk, never holding
 * it whole (the test process hosts the API too); returns the size and SHA-256 of what was sent.
 */
export async function uploadGenerated(
  url: string,
  user: TestUser,
  projectId: string,
  size: number,
  options: { chunkSize?: number; midway?: { at: number; check: () => Promise<void> } } = {},
): Promise<StreamedUpload> {
  const chunkSize = options.chunkSize ?? 1024 * 1024;
  let midwayDone = false;
  const boundary = `----codecraft${randomUUID()}`;
  const hash = createHash('sha256');
  let sent = 0;
  const head = Buffer.from('%PDF-1.7\n', 'latin1');
  let stage: 'header' | 'data' | 'trailer' | 'done' = 'header';
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (options.midway && !midwayDone && sent >= options.midway.at) {
        midwayDone = true;
        await options.midway.check();
      }
      if (stage === 'header') {
        controller.enqueue(partHeader(boundary, 'big.pdf', 'application/pdf'));
        stage = 'data';
        return;
      }
      if (stage === 'data') {
        const length = Math.min(chunkSize, size - sent);
        const chunk =
          sent === 0
            ? Buffer.concat([head, randomBytes(length - head.length)])
            : randomBytes(length);
        hash.update(chunk);
        sent += chunk.length;
        controller.enqueue(chunk);
        if (sent >= size) stage = 'trailer';
        return;
      }
      if (stage === 'trailer') {
        controller.enqueue(Buffer.from(`\r\n--${boundary}--\r\n`));
        stage = 'done';
        return;
      }
      controller.close();
    },
  });
  const response = await fetch(`${url}/projects/${projectId}/files`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${user.token}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    body: stream,
    duplex: 'half',
  });
  const text = await response.text();
  return {
    result: {
      status: response.status,
      headers: response.headers,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      text,
    },
    size: sent,
    sha256: hash.digest('hex'),
  };
}

/** GET /files/{id}/download without following, then the presigned URL itself. */
export async function download(
  url: string,
  user: TestUser,
  fileId: string,
): Promise<{ location: string; headers: Headers; bytes: Buffer }> {
  const redirect = await fetch(`${url}/files/${fileId}/download`, {
    headers: { authorization: `Bearer ${user.token}` },
    redirect: 'manual',
  });
  if (redirect.status !== 302) {
    throw new Error(`download answered ${redirect.status}: ${await redirect.text()}`);
  }
  const location = redirect.headers.get('location') ?? '';
  const object = await fetch(location);
  if (!object.ok) throw new Error(`presigned GET answered ${object.status}`);
  return { location, headers: object.headers, bytes: Buffer.from(await object.arrayBuffer()) };
}

export async function objectKeys(prefix: string): Promise<string[]> {
  const result = await aws().s3.send(
    new ListObjectsV2Command({ Bucket: bucket(), Prefix: prefix }),
  );
  return (result.Contents ?? []).map((o) => o.Key ?? '');
}

export async function objectExists(key: string): Promise<boolean> {
  try {
    await aws().s3.send(new HeadObjectCommand({ Bucket: bucket(), Key: key }));
    return true;
  } catch (error) {
    if (isAwsError(error, 'NotFound', 'NoSuchKey')) return false;
    throw error;
  }
}

export async function metadataItem(fileId: string): Promise<Record<string, unknown> | undefined> {
  const result = await aws().documents.send(
    new GetCommand({ TableName: metadataTable(), Key: { fileID: fileId }, ConsistentRead: true }),
  );
  return result.Item;
}

export function compatBody(
  projectId: string,
  data: Buffer | string,
  name = 'guide.pdf',
  type: string | null = 'pdf',
): Record<string, unknown> {
  return {
    file_content: typeof data === 'string' ? data : data.toString('base64'),
    file_name: name,
    project_id: projectId,
    ...(type === null ? {} : { file_type: type }),
  };
}
