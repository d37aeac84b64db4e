import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { beforeEach, describe, it } from 'node:test';
import { AppConfig } from '#libs/config';
import type { Principal } from '#libs/platform';
import { ProjectNotFoundError, type ProjectsService } from '#libs/projects';
import type { FileRecord } from './file.js';
import {
  FileNotFoundError,
  FileTooLargeError,
  FileTypeMismatchError,
  InvalidBase64Error,
  UploadMissingError,
} from './file.errors.js';
import type { FileMetadataRepository } from './file-metadata.repository.js';
import type { FileObjectsRepository, StoredObject } from './file-objects.repository.js';
import { FilesService } from './files.service.js';

const owner: Principal = { sub: 'owner', username: 'owner', email: undefined, groups: [] };
const stranger: Principal = { sub: 'stranger', username: 'stranger', email: undefined, groups: [] };
const PDF = Buffer.from('%PDF-1.7\nhello pdf\n', 'latin1');

class FakeMetadata {
  readonly items = new Map<string, FileRecord>();
  create(record: FileRecord): Promise<void> {
    this.items.set(record.fileID, record);
    return Promise.resolve();
  }
  get(id: string): Promise<FileRecord | undefined> {
    return Promise.resolve(this.items.get(id));
  }
  delete(id: string): Promise<void> {
    this.items.delete(id);
    return Promise.resolve();
  }
  markAvailable(id: string, facts: Partial<FileRecord>): Promise<boolean> {
    const item = this.items.get(id);
    if (item?.status !== 'PENDING') return Promise.resolve(false);
    this.items.set(id, { ...item, ...facts, status: 'AVAILABLE' });
    return Promise.resolve(true);
  }
}

class FakeObjects {
  readonly objects = new Map<string, Buffer>();
  readonly deleted: string[] = [];
  async upload(key: string, body: Readable): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    this.objects.set(key, Buffer.concat(chunks));
  }
  head(key: string): Promise<StoredObject | undefined> {
    const data = this.objects.get(key);
    return Promise.resolve(data && { size: data.length, contentType: undefined, etag: '"e"' });
  }
  open(key: string): Promise<Readable> {
    return Promise.resolve(Readable.from([this.objects.get(key) ?? Buffer.alloc(0)]));
  }
  promote(from: string, to: string): Promise<boolean> {
    const data = this.objects.get(from);
    if (!data) return Promise.resolve(false);
    this.objects.set(to, data);
    this.objects.delete(from);
    return Promise.resolve(true);
  }
  delete(key: string): Promise<void> {
    this.deleted.push(key);
    this.objects.delete(key);
    return Promise.resolve();
  }
  presignUpload(): Promise<unknown> {
    return Promise.resolve({ method: 'PUT', url: 'https://s3/x', headers: {}, expiresAt: '' });
  }
}

/** Projects: `p1` belongs to `owner`; everything else is a 404. */
const projects = {
  get(actor: Principal, id: string): Promise<unknown> {
    if (id === 'p1' && actor.sub === 'owner') return Promise.resolve({ id });
    return Promise.reject(new ProjectNotFoundError(id));
  },
} as unknown as ProjectsService;

describe('FilesService', () => {
  let metadata: FakeMetadata;
  let objects: FakeObjects;
  let service: FilesService;

  beforeEach(() => {
    metadata = new FakeMetadata();
    objects = new FakeObjects();
    service = new FilesService(
      metadata as unknown as FileMetadataRepository,
      objects as unknown as FileObjectsRepository,
      projects,
      AppConfig.fromEnv({ FILES_BASE64_MAX_BYTES: '1024' }),
    );
  });

  it('stores a base64 upload with sniffed type, size and SHA-256 under a safe key', async () => {
    const file = await service.uploadBase64(owner, {
      projectId: 'p1',
      fileName: '../../x.pdf',
      fileType: 'pdf',
      content: PDF.toString('base64'),
    });
    assert.equal(file.status, 'AVAILABLE');
    assert.equal(file.contentType, 'application/pdf');
    assert.equal(file.size, PDF.length);
    assert.match(file.s3Key, new RegExp(`^p1/${file.fileID}/[^/]+\\.pdf$`));
    assert.deepEqual(objects.objects.get(file.s3Key), PDF);
    assert.equal(metadata.items.get(file.fileID)?.sha256?.length, 64);
  });

  it('maps bad base64, oversize and type lies to their errors, storing nothing', async () => {
    const base = { projectId: 'p1', fileName: 'a.pdf', fileType: 'pdf' };
    await assert.rejects(
      service.uploadBase64(owner, { ...base, content: '!!' }),
      InvalidBase64Error,
    );
    await assert.rejects(
      service.uploadBase64(owner, { ...base, content: Buffer.alloc(2000, 65).toString('base64') }),
      FileTooLargeError,
    );
    await assert.rejects(
      service.uploadBase64(owner, { ...base, fileType: 'png', content: PDF.toString('base64') }),
      FileTypeMismatchError,
    );
    assert.equal(objects.objects.size, 0);
    assert.equal(metadata.items.size, 0);
  });

  it("hides other people's files behind the same 404 as missing ones", async () => {
    const file = await service.uploadBase64(owner, {
      projectId: 'p1',
      fileName: 'a.pdf',
      fileType: undefined,
      content: PDF.toString('base64'),
    });
    await assert.rejects(service.get(stranger, file.fileID), FileNotFoundError);
    await assert.rejects(service.remove(stranger, file.fileID), FileNotFoundError);
    await assert.rejects(service.get(owner, 'missing'), FileNotFoundError);
    await assert.rejects(
      service.uploadBase64(stranger, {
        projectId: 'p1',
        fileName: 'a.pdf',
        fileType: undefined,
        content: PDF.toString('base64'),
      }),
      ProjectNotFoundError,
    );
    assert.ok(metadata.items.has(file.fileID));
  });

  it('never makes a presigned file AVAILABLE before its object exists', async () => {
    const { file } = await service.createUploadUrl(owner, 'p1', {
      fileName: 'big.pdf',
      contentType: 'application/pdf',
      size: PDF.length,
    });
    assert.equal(file.status, 'PENDING');
    await assert.rejects(service.complete(owner, file.fileID), UploadMissingError);
    assert.equal(metadata.items.get(file.fileID)?.status, 'PENDING');

    objects.objects.set(`.pending/p1/${file.fileID}`, PDF);
    const done = await service.complete(owner, file.fileID);
    assert.equal(done.status, 'AVAILABLE');
    assert.equal(done.size, PDF.length);
    assert.deepEqual(objects.objects.get(file.s3Key), PDF);
    assert.equal(objects.objects.has(`.pending/p1/${file.fileID}`), false);
  });

  it('deletes object and item when a presigned upload lies about its type', async () => {
    const { file } = await service.createUploadUrl(owner, 'p1', {
      fileName: 'a.png',
      contentType: 'image/png',
      size: PDF.length,
    });
    objects.objects.set(`.pending/p1/${file.fileID}`, PDF);
    await assert.rejects(service.complete(owner, file.fileID), FileTypeMismatchError);
    assert.equal(metadata.items.has(file.fileID), false);
    assert.equal(objects.objects.size, 0);
  });
});
