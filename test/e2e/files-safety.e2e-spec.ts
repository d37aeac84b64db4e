import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { aws, startApi, type RunningApi } from './support/harness.js';
import {
  bucket,
  compatBody,
  createProject,
  download,
  metadataItem,
  objectExists,
  objectKeys,
  pdfBytes,
  uploadMultipart,
} from './support/files.js';
import { call, newUser, type TestUser } from './support/projects.js';

const HOSTILE_NAMES = [
  '../../../etc/passwd.pdf',
  '..\\..\\boot.ini.pdf',
  '/absolute.pdf',
  '..',
  '   ',
  'evil\u202Efdp.exe.pdf',
  'zero\u200Bwidth\u200E.pdf',
  '\uFF0E\uFF0E\uFF0F\uFF0E\uFF0E\uFF0Ffullwidth.pdf',
  'tab\there\r\nnewline.pdf',
  '%2e%2e%2fencoded.pdf',
  `${'long'.repeat(200)}.pdf`,
];

describe('files: safe keys and access rules', () => {
  let api: RunningApi;
  let owner: TestUser;
  let stranger: TestUser;
  let projectId: string;

  before(async () => {
    api = await startApi();
    owner = await newUser('files-owner');
    stranger = await newUser('files-stranger');
    projectId = await createProject(api.url, owner);
  });
  after(() => api.close());

  it('keeps hostile names under {projectId}/{fileId}/ and never overwrites another object', async () => {
    const victimData = pdfBytes(4096);
    const victim = await uploadMultipart(api.url, owner, projectId, {
      name: 'report.pdf',
      data: victimData,
    });
    assert.equal(victim.status, 201, victim.text);
    const victimId = String(victim.body.id);
    const victimKey = String(victim.body.s3Key);
    const aimed = [
      ...HOSTILE_NAMES,
      `../${victimId}/report.pdf`,
      `../../${projectId}/${victimId}/report.pdf`,
      victimKey,
    ];
    for (const [index, name] of aimed.entries()) {
      const viaMultipart = index % 2 === 0;
      const result = viaMultipart
        ? await uploadMultipart(api.url, owner, projectId, { name, data: pdfBytes(1000) })
        : await call(api.url, owner, 'POST', '/upload', {
            body: compatBody(projectId, pdfBytes(1000), name, 'pdf'),
          });
      assert.equal(
        result.status,
        viaMultipart ? 201 : 200,
        `${JSON.stringify(name)}: ${result.text}`,
      );
      const file = (viaMultipart ? result.body : result.body.file) as Record<string, string>;
      const key = String(file.s3Key);
      const prefix = `${projectId}/${String(file.id)}/`;
      assert.ok(key.startsWith(prefix), `${JSON.stringify(name)} → ${key}`);
      const rest = key.slice(prefix.length);
      assert.doesNotMatch(
        rest,
        /[/\\]|\.\.|^\.|[\p{Cc}\p{Cf}]/u,
        `${JSON.stringify(name)} → ${key}`,
      );
      assert.ok(await objectExists(key));
      assert.doesNotMatch(file.fileName ?? '', /[\p{Cc}\p{Cf}/\\]/u, 'display name is clean too');
    }
    // The first object is untouched.
    assert.deepEqual((await download(api.url, owner, victimId)).bytes, victimData);
    // Every object of the project sits under one file's prefix.
    for (const key of await objectKeys(`${projectId}/`)) {
      assert.match(key, new RegExp(`^${projectId}/[0-9a-f-]{36}/[^/]+$`));
    }
    // Nothing escaped to the bucket root or another prefix.
    assert.equal(await objectExists('etc/passwd.pdf'), false);
    assert.equal(await objectExists('passwd.pdf'), false);
  });

  it("answers 404 on every route for another user's project and files", async () => {
    const upload = await uploadMultipart(api.url, owner, projectId, {
      name: 'secret.pdf',
      data: pdfBytes(),
    });
    const fileId = String(upload.body.id);
    const ticket = await call(api.url, owner, 'POST', `/projects/${projectId}/files/upload-url`, {
      body: { fileName: 'p.pdf', contentType: 'application/pdf', size: 100 },
    });
    const pendingId = String((ticket.body.file as Record<string, unknown>).id);

    const attempts: [string, Promise<{ status: number }>][] = [
      [
        'multipart',
        uploadMultipart(api.url, stranger, projectId, { name: 'x.pdf', data: pdfBytes() }),
      ],
      [
        'base64',
        call(api.url, stranger, 'POST', '/upload', { body: compatBody(projectId, pdfBytes()) }),
      ],
      [
        'upload-url',
        call(api.url, stranger, 'POST', `/projects/${projectId}/files/upload-url`, {
          body: { fileName: 'x.pdf', contentType: 'application/pdf', size: 10 },
        }),
      ],
      ['list', call(api.url, stranger, 'GET', `/projects/${projectId}/files`)],
      ['get', call(api.url, stranger, 'GET', `/files/${fileId}`)],
      ['download', call(api.url, stranger, 'GET', `/files/${fileId}/download`)],
      ['complete', call(api.url, stranger, 'POST', `/files/${pendingId}/complete`)],
      ['delete', call(api.url, stranger, 'DELETE', `/files/${fileId}`)],
      ['delete pending', call(api.url, stranger, 'DELETE', `/files/${pendingId}`)],
    ];
    for (const [route, attempt] of attempts) {
      assert.equal((await attempt).status, 404, route);
    }
    // The same answer as for ids that do not exist at all.
    assert.equal((await call(api.url, owner, 'GET', `/files/${randomUUID()}`)).status, 404);
    assert.equal((await call(api.url, owner, 'GET', '/files/not-a-uuid')).status, 404);
    assert.equal(
      (await call(api.url, owner, 'GET', `/projects/${randomUUID()}/files`)).status,
      404,
    );
    // Nothing was changed by the stranger.
    assert.equal((await call(api.url, owner, 'GET', `/files/${fileId}`)).status, 200);
    assert.ok(await metadataItem(pendingId));
    assert.equal(
      (await call(api.url, stranger, 'GET', `/projects/${projectId}/files`)).status,
      404,
    );
  });

  it('lets an administrator reach any project’s files', async () => {
    const admin = await newUser('files-admin', ['admin']);
    const upload = await uploadMultipart(api.url, owner, projectId, {
      name: 'shared.pdf',
      data: pdfBytes(),
    });
    const result = await call(api.url, admin, 'GET', `/files/${String(upload.body.id)}`);
    assert.equal(result.status, 200, result.text);
  });

  it('deletes both the object and the metadata', async () => {
    const upload = await uploadMultipart(api.url, owner, projectId, {
      name: 'gone.pdf',
      data: pdfBytes(),
    });
    const fileId = String(upload.body.id);
    const key = String(upload.body.s3Key);
    assert.ok(await objectExists(key));
    assert.ok(await metadataItem(fileId));
    const deleted = await call(api.url, owner, 'DELETE', `/files/${fileId}`);
    assert.equal(deleted.status, 204, deleted.text);
    assert.equal(await objectExists(key), false);
    assert.equal(await metadataItem(fileId), undefined);
    assert.equal((await call(api.url, owner, 'GET', `/files/${fileId}`)).status, 404);
    assert.equal((await call(api.url, owner, 'DELETE', `/files/${fileId}`)).status, 404);
  });

  it('keeps the bucket private: downloads only through short-lived presigned URLs', async () => {
    const block = await aws().s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket() }));
    assert.deepEqual(block.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const upload = await uploadMultipart(api.url, owner, projectId, {
      name: 'private.pdf',
      data: pdfBytes(),
    });
    const redirect = await fetch(`${api.url}/files/${String(upload.body.id)}/download`, {
      headers: { authorization: `Bearer ${owner.token}` },
      redirect: 'manual',
    });
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.get('cache-control'), 'no-store');
    const location = new URL(redirect.headers.get('location') ?? '');
    assert.equal(location.searchParams.get('X-Amz-Algorithm'), 'AWS4-HMAC-SHA256');
    assert.ok(location.searchParams.get('X-Amz-Signature'));
    assert.ok(Number(location.searchParams.get('X-Amz-Expires')) <= 60);
    assert.match(location.searchParams.get('response-content-disposition') ?? '', /^attachment; /);
  });
});
