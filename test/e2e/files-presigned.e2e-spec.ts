import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, testConfig, type RunningApi } from './support/harness.js';
import {
  createProject,
  download,
  metadataItem,
  objectExists,
  objectKeys,
  pdfBytes,
  PNG_BYTES,
  sha256,
} from './support/files.js';
import { call, newUser, type TestUser } from './support/projects.js';

interface Ticket {
  readonly file: Record<string, unknown>;
  readonly upload: {
    method: string;
    url: string;
    headers: Record<string, string>;
    expiresAt: string;
  };
  readonly completeUrl: string;
}

describe('files: presigned upload straight to S3', () => {
  let api: RunningApi;
  let owner: TestUser;
  let projectId: string;

  before(async () => {
    api = await startApi(
      testConfig({
        FILES_PRESIGNED_MAX_BYTES: String(8 * 1024 * 1024),
        FILES_UPLOAD_URL_EXPIRY_SECONDS: '120',
      }),
    );
    owner = await newUser('files-presigned');
    projectId = await createProject(api.url, owner);
  });
  after(() => api.close());

  async function ticket(body: Record<string, unknown>): Promise<Ticket> {
    const result = await call(api.url, owner, 'POST', `/projects/${projectId}/files/upload-url`, {
      body,
    });
    assert.equal(result.status, 201, result.text);
    return result.body as unknown as Ticket;
  }

  async function put(t: Ticket, data: Buffer): Promise<number> {
    const response = await fetch(t.upload.url, {
      method: 'PUT',
      headers: { 'content-type': t.upload.headers['content-type'] ?? '' },
      body: data,
    });
    await response.arrayBuffer();
    return response.status;
  }

  it('PUT to S3 then complete: AVAILABLE with the right size and checksum, never before', async () => {
    const data = pdfBytes(3 * 1024 * 1024 + 7);
    const t = await ticket({
      fileName: 'big report.pdf',
      contentType: 'application/pdf',
      size: data.length,
    });
    const fileId = String(t.file.id);
    assert.equal(t.file.status, 'PENDING');
    assert.equal(t.file.sha256, null);
    assert.equal(t.upload.method, 'PUT');
    assert.equal(t.completeUrl, `/files/${fileId}/complete`);
    const url = new URL(t.upload.url);
    assert.equal(url.origin, new URL(testConfig().aws.endpoint ?? '').origin, 'straight to S3');
    assert.equal(url.searchParams.get('X-Amz-Expires'), '120');
    assert.deepEqual(url.searchParams.get('X-Amz-SignedHeaders')?.split(';').sort(), [
      'content-length',
      'content-type',
      'host',
    ]);
    assert.equal(url.searchParams.get('x-amz-checksum-crc32'), null);

    // Completing before the bytes are there is refused; the file stays PENDING and unlisted.
    const early = await call(api.url, owner, 'POST', t.completeUrl);
    assert.equal(early.status, 409, early.text);
    assert.equal(early.body.code, 'upload-missing');
    const pending = await call(api.url, owner, 'GET', `/files/${fileId}`);
    assert.equal(pending.body.status, 'PENDING');
    const listed = await call(api.url, owner, 'GET', `/projects/${projectId}/files`);
    assert.ok(!(listed.body.items as { id: string }[]).some((f) => f.id === fileId));
    const pendingList = await call(
      api.url,
      owner,
      'GET',
      `/projects/${projectId}/files?status=PENDING`,
    );
    assert.ok((pendingList.body.items as { id: string }[]).some((f) => f.id === fileId));
    const notYet = await call(api.url, owner, 'GET', `/files/${fileId}/download`);
    assert.equal(notYet.status, 409);
    assert.equal(notYet.body.code, 'file-not-ready');

    assert.equal(await put(t, data), 200);
    // Uploaded but not completed: still PENDING.
    assert.equal((await call(api.url, owner, 'GET', `/files/${fileId}`)).body.status, 'PENDING');

    const done = await call(api.url, owner, 'POST', t.completeUrl);
    assert.equal(done.status, 200, done.text);
    assert.equal(done.body.status, 'AVAILABLE');
    assert.equal(done.body.size, data.length);
    assert.equal(done.body.sha256, sha256(data));
    assert.equal(done.body.contentType, 'application/pdf');
    const item = await metadataItem(fileId);
    assert.equal(item?.status, 'AVAILABLE');
    assert.equal(item.sha256, sha256(data));
    assert.equal(item.expiresAt, undefined, 'the PENDING expiry is removed');
    // The checked bytes sit at the final key; the staging object is gone.
    assert.deepEqual(await objectKeys(`${projectId}/${fileId}/`), [String(done.body.s3Key)]);
    assert.deepEqual((await download(api.url, owner, fileId)).bytes, data);

    const again = await call(api.url, owner, 'POST', t.completeUrl);
    assert.equal(again.status, 200);
    assert.equal(again.body.sha256, sha256(data));
  });

  it('lets browsers use the presigned URLs (bucket CORS)', async () => {
    const t = await ticket({ fileName: 'b.pdf', contentType: 'application/pdf', size: 10 });
    const preflight = await fetch(t.upload.url, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.test',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type',
      },
    });
    assert.equal(preflight.status, 200, await preflight.text());
    assert.match(
      preflight.headers.get('access-control-allow-origin') ?? '',
      /^(\*|https:\/\/app\.example\.test)$/,
    );
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /PUT/);
  });

  it('deletes object and item when the bytes contradict the declared type (415)', async () => {
    const t = await ticket({
      fileName: 'doc.pdf',
      contentType: 'application/pdf',
      size: PNG_BYTES.length,
    });
    const fileId = String(t.file.id);
    assert.equal(await put(t, PNG_BYTES), 200);
    const result = await call(api.url, owner, 'POST', t.completeUrl);
    assert.equal(result.status, 415, result.text);
    assert.equal(result.body.code, 'file-type-mismatch');
    assert.equal(await metadataItem(fileId), undefined);
    assert.deepEqual(await objectKeys(`${projectId}/${fileId}/`), []);
    assert.equal((await call(api.url, owner, 'GET', `/files/${fileId}`)).status, 404);
  });

  it('refuses an upload whose size differs from the announced one (422, removed)', async () => {
    const t = await ticket({ fileName: 'a.pdf', contentType: 'application/pdf', size: 5000 });
    const fileId = String(t.file.id);
    assert.equal(await put(t, pdfBytes(4000)), 200, 'moto does not check the signed length');
    const result = await call(api.url, owner, 'POST', t.completeUrl);
    assert.equal(result.status, 422, result.text);
    assert.equal(result.body.code, 'upload-size-mismatch');
    assert.equal(await metadataItem(fileId), undefined);
    assert.equal(await objectExists(`.pending/${projectId}/${fileId}`), false);
  });

  it('refuses sizes over FILES_PRESIGNED_MAX_BYTES (413) and types outside the allow-list (415)', async () => {
    const big = await call(api.url, owner, 'POST', `/projects/${projectId}/files/upload-url`, {
      body: { fileName: 'x.pdf', contentType: 'application/pdf', size: 8 * 1024 * 1024 + 1 },
    });
    assert.equal(big.status, 413, big.text);
    const html = await call(api.url, owner, 'POST', `/projects/${projectId}/files/upload-url`, {
      body: { fileName: 'x.html', contentType: 'text/html', size: 10 },
    });
    assert.equal(html.status, 415, html.text);
    assert.equal(html.body.code, 'file-type-not-allowed');
    const zero = await call(api.url, owner, 'POST', `/projects/${projectId}/files/upload-url`, {
      body: { fileName: 'x.pdf', contentType: 'application/pdf', size: 0 },
    });
    assert.equal(zero.status, 400);
  });
});
