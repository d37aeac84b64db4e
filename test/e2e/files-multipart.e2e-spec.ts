import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
} from '@aws-sdk/client-s3';
import { aws, eventually, startApi, testConfig, type RunningApi } from './support/harness.js';
import {
  bucket,
  createProject,
  metadataItem,
  objectKeys,
  pdfBytes,
  PNG_BYTES,
  uploadGenerated,
  uploadMultipart,
} from './support/files.js';
import { call, newUser, type TestUser } from './support/projects.js';

const MiB = 1024 * 1024;

/** Parts already stored for the multipart uploads in progress under a prefix. */
async function uploadedParts(prefix: string): Promise<number> {
  const uploads = await aws().s3.send(
    new ListMultipartUploadsCommand({ Bucket: bucket(), Prefix: prefix }),
  );
  let parts = 0;
  for (const upload of uploads.Uploads ?? []) {
    const listed = await aws().s3.send(
      new ListPartsCommand({ Bucket: bucket(), Key: upload.Key, UploadId: upload.UploadId }),
    );
    parts += listed.Parts?.length ?? 0;
  }
  return parts;
}

describe('files: multipart upload, streamed to S3', () => {
  let api: RunningApi;
  let owner: TestUser;
  let projectId: string;

  before(async () => {
    api = await startApi(testConfig({ FILES_MAX_BYTES: String(48 * MiB) }));
    owner = await newUser('files-multipart');
    projectId = await createProject(api.url, owner);
  });
  after(() => api.close());

  it('streams a 33 MiB file (several S3 parts) and records its exact size and SHA-256', async () => {
    const size = 33 * MiB + 12_345;
    let partsWhileSending = 0;
    const sent = await uploadGenerated(api.url, owner, projectId, size, {
      // With 20 of 33 MiB sent, the client pauses: S3 must already hold parts of the upload, so
      // the API streams instead of buffering the file.
      midway: {
        at: 20 * MiB,
        check: async () => {
          partsWhileSending = await eventually(
            async () => {
              const count = await uploadedParts(`${projectId}/`);
              return count >= 2 ? count : undefined;
            },
            15_000,
            'parts in S3 while the client is still sending',
          );
        },
      },
    });
    assert.ok(partsWhileSending >= 2, `parts already in S3 mid-upload: ${partsWhileSending}`);
    assert.equal(sent.result.status, 201, sent.result.text);
    const file = sent.result.body;
    assert.equal(file.size, size);
    assert.equal(file.sha256, sent.sha256);
    assert.equal(file.contentType, 'application/pdf');
    assert.equal(file.status, 'AVAILABLE');

    const item = await metadataItem(String(file.id));
    assert.equal(item?.size, size);
    assert.equal(item.sha256, sent.sha256);

    // The stored bytes hash to the same value (read back as a stream).
    const { Body } = await aws().s3.send(
      new GetObjectCommand({ Bucket: bucket(), Key: String(file.s3Key) }),
    );
    const hash = createHash('sha256');
    let stored = 0;
    for await (const chunk of Body as AsyncIterable<Buffer>) {
      hash.update(chunk);
      stored += chunk.length;
    }
    assert.equal(stored, size);
    assert.equal(hash.digest('hex'), sent.sha256);
    // Free the emulator's memory for the suites that follow (moto keeps objects in RAM).
    assert.equal((await call(api.url, owner, 'DELETE', `/files/${String(file.id)}`)).status, 204);
  });

  it('lists files newest first with cursor pagination', async () => {
    const project = await createProject(api.url, owner);
    const ids: string[] = [];
    for (const name of ['one.pdf', 'two.pdf', 'three.pdf']) {
      const result = await uploadMultipart(api.url, owner, project, { name, data: pdfBytes() });
      assert.equal(result.status, 201, result.text);
      ids.push(String(result.body.id));
    }
    const first = await call(api.url, owner, 'GET', `/projects/${project}/files?limit=2`);
    assert.equal(first.status, 200, first.text);
    const firstItems = first.body.items as Record<string, unknown>[];
    assert.deepEqual(
      firstItems.map((f) => f.id),
      [ids[2], ids[1]],
    );
    assert.equal(typeof first.body.nextCursor, 'string');
    const second = await call(
      api.url,
      owner,
      'GET',
      `/projects/${project}/files?limit=2&cursor=${String(first.body.nextCursor)}`,
    );
    const secondItems = second.body.items as Record<string, unknown>[];
    assert.deepEqual(
      secondItems.map((f) => f.id),
      [ids[0]],
    );
    assert.equal(second.body.nextCursor, null);

    const bad = await call(api.url, owner, 'GET', `/projects/${project}/files?cursor=garbage!`);
    assert.equal(bad.status, 400);
  });

  it('refuses a declared type the bytes contradict (415), keeping nothing', async () => {
    const project = await createProject(api.url, owner);
    const result = await uploadMultipart(api.url, owner, project, {
      name: 'photo.png',
      type: 'image/png',
      data: pdfBytes(),
    });
    assert.equal(result.status, 415, result.text);
    assert.equal(result.body.code, 'file-type-mismatch');
    assert.equal(result.body.declared, 'image/png');
    assert.equal(result.body.detected, 'application/pdf');
    assert.deepEqual(await objectKeys(`${project}/`), []);
  });

  it('types a file by its bytes when the part says application/octet-stream', async () => {
    const result = await uploadMultipart(api.url, owner, projectId, {
      name: 'picture',
      type: 'application/octet-stream',
      data: PNG_BYTES,
    });
    assert.equal(result.status, 201, result.text);
    assert.equal(result.body.contentType, 'image/png');
    assert.equal(result.body.fileType, 'png');
  });

  it('answers 415 to a body that is not multipart and 400 to a form without a file', async () => {
    const json = await call(api.url, owner, 'POST', `/projects/${projectId}/files`, {
      body: { file: 'x' },
    });
    assert.equal(json.status, 415, json.text);
    assert.equal(json.body.code, 'multipart-required');

    const boundary = 'xyz';
    const response = await fetch(`${api.url}/projects/${projectId}/files`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${owner.token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      body: `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhi\r\n--${boundary}--\r\n`,
    });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { code: string }).code, 'malformed-upload');
  });
});

describe('files: multipart size limit', () => {
  let api: RunningApi;
  let owner: TestUser;

  before(async () => {
    api = await startApi(testConfig({ FILES_MAX_BYTES: String(6 * MiB) }));
    owner = await newUser('files-413');
  });
  after(() => api.close());

  it('answers 413 past FILES_MAX_BYTES and leaves no object, part or item behind', async () => {
    const project = await createProject(api.url, owner);
    // 12 MiB: the first 5 MiB part is already in S3 when the limit trips.
    const sent = await uploadGenerated(api.url, owner, project, 12 * MiB);
    assert.equal(sent.result.status, 413, sent.result.text);
    assert.equal(sent.result.body.code, 'file-too-large');
    assert.equal(sent.result.body.maxBytes, 6 * MiB);
    assert.deepEqual(await objectKeys(`${project}/`), []);
    const uploads = await aws().s3.send(
      new ListMultipartUploadsCommand({ Bucket: bucket(), Prefix: `${project}/` }),
    );
    assert.deepEqual(uploads.Uploads ?? [], [], 'the multipart upload was aborted');
    const listed = await call(api.url, owner, 'GET', `/projects/${project}/files?status=PENDING`);
    assert.deepEqual(listed.body.items, []);
    const available = await call(api.url, owner, 'GET', `/projects/${project}/files`);
    assert.deepEqual(available.body.items, []);
  });

  it('still accepts a file right at the limit', async () => {
    const project = await createProject(api.url, owner);
    const sent = await uploadGenerated(api.url, owner, project, 6 * MiB);
    assert.equal(sent.result.status, 201, sent.result.text);
    assert.equal(sent.result.body.size, 6 * MiB);
    assert.equal(sent.result.body.sha256, sent.sha256);
    const id = String(sent.result.body.id);
    assert.equal((await call(api.url, owner, 'DELETE', `/files/${id}`)).status, 204);
  });
});
