import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, testConfig, type RunningApi } from './support/harness.js';
import {
  compatBody,
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

describe('files: the original POST /upload (base64 JSON)', () => {
  let api: RunningApi;
  let owner: TestUser;
  let projectId: string;

  before(async () => {
    api = await startApi(testConfig({ FILES_BASE64_MAX_BYTES: String(64 * 1024) }));
    owner = await newUser('files-compat');
    projectId = await createProject(api.url, owner);
  });
  after(() => api.close());

  it('round-trips: stores object and FileMetadata item, download gives the same bytes', async () => {
    const data = pdfBytes(20_000);
    const result = await call(api.url, owner, 'POST', '/upload', {
      body: compatBody(projectId, data, 'Guide d’été.pdf', 'pdf'),
    });
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.message, 'File uploaded successfully');
    const fileId = String(result.body.fileID);
    const s3Key = String(result.body.s3Key);
    assert.ok(s3Key.startsWith(`${projectId}/${fileId}/`), s3Key);
    assert.equal(result.headers.get('location'), `/files/${fileId}`);

    const item = await metadataItem(fileId);
    assert.ok(item, 'metadata item written');
    assert.equal(item.fileID, fileId);
    assert.equal(item.projectID, projectId);
    assert.equal(item.fileName, 'Guide d’été.pdf');
    assert.equal(item.fileType, 'pdf');
    assert.equal(item.s3Key, s3Key);
    assert.equal(typeof item.uploadDate, 'string');
    assert.equal(item.status, 'AVAILABLE');
    assert.equal(item.contentType, 'application/pdf');
    assert.equal(item.size, data.length);
    assert.equal(item.sha256, sha256(data));
    assert.equal(item.uploadedBy, owner.sub);
    assert.ok(await objectExists(s3Key));

    const downloaded = await download(api.url, owner, fileId);
    assert.deepEqual(downloaded.bytes, data);
    assert.equal(
      downloaded.headers.get('content-disposition'),
      `attachment; filename="Guide d_ete.pdf"; filename*=UTF-8''Guide%20d%E2%80%99%C3%A9t%C3%A9.pdf`,
    );
    assert.equal(downloaded.headers.get('content-type'), 'application/pdf');
    assert.match(downloaded.location, /X-Amz-Expires=60\b/);
  });

  it('accepts a numeric project_id as text, and an omitted file_type', async () => {
    const text = Buffer.from('hello,world\n1,2\n');
    const numeric = await call(api.url, owner, 'POST', '/upload', {
      body: { ...compatBody(projectId, text, 'table.csv', null), project_id: 12345 },
    });
    assert.equal(numeric.status, 404, 'an original-style id names no CodeCraft project');
    const ok = await call(api.url, owner, 'POST', '/upload', {
      body: compatBody(projectId, text, 'table.csv', null),
    });
    assert.equal(ok.status, 200, ok.text);
    const file = ok.body.file as Record<string, unknown>;
    assert.equal(file.contentType, 'text/csv');
    assert.equal(file.fileType, 'csv');
  });

  it('refuses content that is not base64 with a 400 problem', async () => {
    for (const bad of ['%%% not base64 %%%', 'aGVsbG8=x', 'QR==']) {
      const result = await call(api.url, owner, 'POST', '/upload', {
        body: compatBody(projectId, bad),
      });
      assert.equal(result.status, 400, `${bad}: ${result.text}`);
      assert.equal(result.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      assert.equal(result.body.code, 'invalid-base64');
    }
  });

  it('refuses decoded content over FILES_BASE64_MAX_BYTES with a 413 problem', async () => {
    const before = await objectKeys(`${projectId}/`);
    const result = await call(api.url, owner, 'POST', '/upload', {
      body: compatBody(projectId, pdfBytes(64 * 1024 + 1)),
    });
    assert.equal(result.status, 413, result.text);
    assert.equal(result.body.code, 'file-too-large');
    assert.equal(result.body.maxBytes, 64 * 1024);
    assert.deepEqual(await objectKeys(`${projectId}/`), before);
  });

  it('refuses a file_type the bytes contradict (415) and types outside the allow-list (415)', async () => {
    const mismatch = await call(api.url, owner, 'POST', '/upload', {
      body: compatBody(projectId, PNG_BYTES, 'photo.pdf', 'pdf'),
    });
    assert.equal(mismatch.status, 415, mismatch.text);
    assert.equal(mismatch.body.code, 'file-type-mismatch');
    assert.equal(mismatch.body.detected, 'image/png');

    const html = await call(api.url, owner, 'POST', '/upload', {
      body: compatBody(projectId, Buffer.from('<script>alert(1)</script>'), 'x.html', 'html'),
    });
    assert.equal(html.status, 415, html.text);
    assert.equal(html.body.code, 'file-type-not-allowed');
  });

  it('refuses empty files and extra or missing fields (400)', async () => {
    const empty = await call(api.url, owner, 'POST', '/upload', {
      body: compatBody(projectId, ''),
    });
    assert.equal(empty.status, 400);
    assert.equal(empty.body.code, 'empty-file');
    const missing = await call(api.url, owner, 'POST', '/upload', {
      body: { file_content: 'aGk=', project_id: projectId },
    });
    assert.equal(missing.status, 400);
  });

  it('needs authentication', async () => {
    const result = await call(api.url, undefined, 'POST', '/upload', {
      body: compatBody(projectId, pdfBytes()),
    });
    assert.equal(result.status, 401);
  });

  it('documents the route in Swagger, with the small-files warning', async () => {
    const doc = (await (await fetch(`${api.url}/docs-json`)).json()) as {
      paths: Record<string, Record<string, { description?: string; requestBody?: unknown }>>;
    };
    const upload = doc.paths['/upload']?.post;
    assert.match(
      upload?.description ?? '',
      /API Gateway caps request bodies at 10 MB and Lambda at 6 MB/,
    );
    const multipart = doc.paths['/projects/{projectId}/files']?.post;
    assert.match(JSON.stringify(multipart?.requestBody), /multipart\/form-data/);
    assert.match(JSON.stringify(multipart?.requestBody), /"format":"binary"/);
  });
});
