/** A file's life: PENDING while a presigned upload is outstanding, AVAILABLE once its bytes are checked. */
export const FILE_STATUSES = ['PENDING', 'AVAILABLE'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

/**
 * An item of the FileMetadata table. The original attributes (`fileID`, `fileName`, `projectID`,
 * `fileType`, `s3Key`, `uploadDate`) keep their names; the rest is CodeCraft's.
 */
export interface FileRecord {
  readonly fileID: string;
  /** Display name (cleaned client name); never used as a path. */
  readonly fileName: string;
  readonly projectID: string;
  /** Short type derived from the sniffed bytes ("pdf"); the declared type until AVAILABLE. */
  readonly fileType: string;
  /** Server-generated: `{projectId}/{fileId}/{safe-name}`. */
  readonly s3Key: string;
  /** ISO-8601; when the upload started. Sort key of the by-project index. */
  readonly uploadDate: string;
  readonly status: FileStatus;
  /** Sniffed content type once AVAILABLE; the declared one while PENDING. */
  readonly contentType: string;
  /** Bytes stored (AVAILABLE) or announced (PENDING presigned upload). */
  readonly size: number;
  /** Hex SHA-256 of the stored bytes; absent while PENDING. */
  readonly sha256?: string;
  /** Cognito `sub` of the uploader. */
  readonly uploadedBy: string;
  readonly updatedAt: string;
  /** ISO-8601; when the file became AVAILABLE. */
  readonly availableAt?: string;
  /** Epoch seconds: DynamoDB removes PENDING items never completed. */
  readonly expiresAt?: number;
}

export interface FilePage {
  readonly items: readonly FileRecord[];
  readonly nextCursor: string | undefined;
}

/** How a file came in (for logs and the completion rules). */
export type UploadChannel = 'multipart' | 'base64' | 'presigned';
