import { randomUUID } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '#libs/config';
import type { Principal } from '#libs/platform';
import { ProjectNotFoundError, ProjectsService } from '#libs/projects';
import {
  declaredTypeOf,
  extensionOf,
  judgeContent,
  normalizeContentType,
  sniffContent,
  SNIFF_BYTES,
  type ContentClaim,
} from './content/content-sniffer.js';
import { MeasuringStream, peekStream } from './content/measured-stream.js';
import { displayFileName, fileObjectKey, fileStagingKey } from './content/safe-name.js';
import type { FilePage, FileRecord, FileStatus, UploadChannel } from './file.js';
import {
  FileNotFoundError,
  FileNotReadyError,
  FileTooLargeError,
  FileTypeNotAllowedError,
  InvalidCursorError,
  UploadMissingError,
  UploadSizeMismatchError,
} from './file.errors.js';
import { BadCursorError, FileMetadataRepository } from './file-metadata.repository.js';
import { FileObjectsRepository } from './file-objects.repository.js';
import type { MultipartRequest } from './multipart-file.reader.js';
import type { PresignedPut } from './s3/presign.js';
import {
  contentVerdictError,
  declaredPartType,
  decodeBase64Upload,
  sniffAndStore,
  withMultipartFile,
} from './upload-intake.js';

export interface Base64Upload {
  readonly projectId: string;
  readonly fileName: string;
  /** The original `file_type` ("pdf") or a MIME type; optional. */
  readonly fileType: string | undefined;
  readonly content: string;
}

export interface UploadUrlRequest {
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
}

export interface UploadTicket {
  readonly file: FileRecord;
  readonly upload: PresignedPut;
}

export interface ListFiles {
  readonly status: FileStatus | undefined;
  readonly limit: number;
  readonly cursor: string | undefined;
}

/** A PENDING item outlives its upload URL by a day, then DynamoDB's TTL removes it. */
const PENDING_GRACE_SECONDS = 24 * 3600;

/**
 * Project files: bytes in S3 under server-generated keys, facts in the FileMetadata table. The
 * caller must be allowed to see the project (its owner or an administrator); to anybody else its
 * files do not exist (404). Types come from the bytes, never from the client alone.
 */
@Injectable()
export class FilesService {
  private readonly logger = new Logger(FilesService.name);

  constructor(
    private readonly metadata: FileMetadataRepository,
    private readonly objects: FileObjectsRepository,
    private readonly projects: ProjectsService,
    private readonly config: AppConfig,
  ) {}

  /** multipart/form-data, streamed: sniffed from its first bytes, measured and hashed on the way. */
  async uploadMultipart(
    actor: Principal,
    projectId: string,
    req: MultipartRequest,
  ): Promise<FileRecord> {
    await this.projects.get(actor, projectId);
    const maxBytes = this.config.files.maxBytes;
    return withMultipartFile(req, maxBytes, (part) =>
      this.ingest(actor, projectId, 'multipart', part.stream, maxBytes, {
        fileName: part.fileName,
        declared: declaredPartType(part),
      }),
    );
  }

  /** The original UploadFile body: base64 in JSON (small files only). */
  async uploadBase64(actor: Principal, input: Base64Upload): Promise<FileRecord> {
    await this.projects.get(actor, input.projectId);
    const maxBytes = this.config.files.base64MaxBytes;
    const bytes = decodeBase64Upload(input.content, maxBytes, 'file_content');
    return this.ingest(actor, input.projectId, 'base64', Readable.from([bytes]), maxBytes, {
      fileName: input.fileName,
      declared: declaredTypeOf(input.fileType),
    });
  }

  /**
   * A presigned PUT for a large file straight to S3 (to a staging key), and a PENDING item. The
   * file becomes AVAILABLE only through `complete`, once its bytes are in S3 and checked.
   */
  async createUploadUrl(
    actor: Principal,
    projectId: string,
    request: UploadUrlRequest,
  ): Promise<UploadTicket> {
    await this.projects.get(actor, projectId);
    const { allowedTypes, presignedMaxBytes, uploadUrlExpirySeconds } = this.config.files;
    const contentType = normalizeContentType(request.contentType);
    if (!contentType || !allowedTypes.includes(contentType)) {
      throw new FileTypeNotAllowedError(contentType ?? request.contentType, allowedTypes);
    }
    if (request.size > presignedMaxBytes) throw new FileTooLargeError(presignedMaxBytes);
    const fileId = randomUUID();
    const fileName = displayFileName(request.fileName);
    const now = new Date();
    const file: FileRecord = {
      fileID: fileId,
      fileName,
      projectID: projectId,
      fileType: extensionOf(contentType),
      s3Key: fileObjectKey(projectId, fileId, fileName),
      uploadDate: now.toISOString(),
      status: 'PENDING',
      contentType,
      size: request.size,
      uploadedBy: actor.sub,
      updatedAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + uploadUrlExpirySeconds + PENDING_GRACE_SECONDS,
    };
    await this.metadata.create(file);
    const upload = await this.objects.presignUpload(
      fileStagingKey(projectId, fileId),
      contentType,
      request.size,
    );
    return { file, upload };
  }

  /**
   * Checks a presigned upload and makes the file AVAILABLE: the object must exist with the
   * announced size; its bytes are read once (SHA-256, sniffing); the checked version is copied to
   * the final key. A type violation deletes the object and the item. Completing twice is harmless.
   */
  async complete(actor: Principal, fileId: string): Promise<FileRecord> {
    const file = await this.accessibleFile(actor, fileId);
    if (file.status === 'AVAILABLE') return file;
    const staging = fileStagingKey(file.projectID, file.fileID);
    const stored = await this.objects.head(staging);
    if (!stored?.etag) throw new UploadMissingError(fileId);
    if (stored.size !== file.size) {
      await this.discard(file);
      throw new UploadSizeMismatchError(file.size, stored.size);
    }
    const source = await this.objects.open(staging, stored.etag);
    const { head, complete, stream } = await peekStream(source, SNIFF_BYTES);
    const verdict = judgeContent(
      await sniffContent(head, complete),
      {
        declared: file.contentType,
        fileName: file.fileName,
      },
      this.config.files.allowedTypes,
    );
    if (!verdict.ok) {
      source.destroy();
      await this.discard(file);
      throw contentVerdictError(verdict, this.config.files.allowedTypes);
    }
    const meter = new MeasuringStream(this.config.files.presignedMaxBytes);
    await pipelineAsync(stream, meter, discardAll());
    if (meter.bytes !== file.size) {
      await this.discard(file);
      throw new UploadSizeMismatchError(file.size, meter.bytes);
    }
    if (!(await this.objects.promote(staging, file.s3Key, stored.etag, verdict.contentType))) {
      throw new UploadMissingError(fileId);
    }
    const now = new Date().toISOString();
    const facts = {
      contentType: verdict.contentType,
      fileType: verdict.fileType,
      size: meter.bytes,
      sha256: meter.sha256(),
      updatedAt: now,
      availableAt: now,
    };
    if (!(await this.metadata.markAvailable(fileId, facts))) {
      const current = await this.metadata.get(fileId);
      if (current?.status === 'AVAILABLE') return current;
      await this.objects.delete(file.s3Key);
      throw new FileNotFoundError(fileId);
    }
    const available: FileRecord = { ...file, ...facts, status: 'AVAILABLE', expiresAt: undefined };
    this.log(available, 'presigned');
    return available;
  }

  async list(actor: Principal, projectId: string, query: ListFiles): Promise<FilePage> {
    await this.projects.get(actor, projectId);
    try {
      return await this.metadata.listByProject({ projectId, ...query });
    } catch (error) {
      if (error instanceof BadCursorError) throw new InvalidCursorError();
      throw error;
    }
  }

  get(actor: Principal, fileId: string): Promise<FileRecord> {
    return this.accessibleFile(actor, fileId);
  }

  /** A short-lived presigned GET carrying the original name (Content-Disposition). */
  async downloadUrl(actor: Principal, fileId: string): Promise<string> {
    const file = await this.accessibleFile(actor, fileId);
    if (file.status !== 'AVAILABLE') throw new FileNotReadyError(fileId);
    return this.objects.presignDownload(file.s3Key, file.fileName, file.contentType);
  }

  /** Removes the object(s) first, then the item: a failure half-way leaves a retryable file. */
  async remove(actor: Principal, fileId: string): Promise<void> {
    await this.discard(await this.accessibleFile(actor, fileId));
  }

  private async discard(file: FileRecord): Promise<void> {
    await this.objects.delete(file.s3Key);
    await this.objects.delete(fileStagingKey(file.projectID, file.fileID));
    await this.metadata.delete(file.fileID);
  }

  /** The file, if the caller may see its project; 404 alike for missing files and others' files. */
  private async accessibleFile(actor: Principal, fileId: string): Promise<FileRecord> {
    const file = await this.metadata.get(fileId);
    if (!file) throw new FileNotFoundError(fileId);
    try {
      await this.projects.get(actor, file.projectID);
    } catch (error) {
      if (error instanceof ProjectNotFoundError) throw new FileNotFoundError(fileId);
      throw error;
    }
    return file;
  }

  /** Stores a stream the API receives: sniff the head, then stream to S3 while measuring. */
  private async ingest(
    actor: Principal,
    projectId: string,
    channel: UploadChannel,
    source: Readable,
    maxBytes: number,
    claim: ContentClaim & { readonly fileName: string },
  ): Promise<FileRecord> {
    const fileId = randomUUID();
    const fileName = displayFileName(claim.fileName);
    const key = fileObjectKey(projectId, fileId, fileName);
    const stored = await sniffAndStore(
      source,
      { maxBytes, allowedTypes: this.config.files.allowedTypes, claim },
      (body, content) => this.objects.upload(key, body, content.contentType, fileId),
    );
    const now = new Date().toISOString();
    const file: FileRecord = {
      fileID: fileId,
      fileName,
      projectID: projectId,
      fileType: stored.fileType,
      s3Key: key,
      uploadDate: now,
      status: 'AVAILABLE',
      contentType: stored.contentType,
      size: stored.size,
      sha256: stored.sha256,
      uploadedBy: actor.sub,
      updatedAt: now,
      availableAt: now,
    };
    try {
      await this.metadata.create(file);
    } catch (error) {
      await this.objects.delete(key).catch((cleanup: unknown) => {
        this.logger.error(
          { err: cleanup, key },
          'Could not remove an object left without metadata',
        );
      });
      throw error;
    }
    this.log(file, channel);
    return file;
  }

  private log(file: FileRecord, channel: UploadChannel): void {
    this.logger.log(
      {
        fileId: file.fileID,
        projectId: file.projectID,
        size: file.size,
        contentType: file.contentType,
        channel,
      },
      'File stored',
    );
  }
}

/** A sink that drops everything (the bytes were only read to be measured). */
function discardAll(): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}
