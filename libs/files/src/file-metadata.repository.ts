import { Injectable } from '@nestjs/common';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isAwsError, KeyedTable, ResourceNames } from '#libs/aws';
import type { FilePage, FileRecord, FileStatus } from './file.js';

const BY_PROJECT = 'by-project';

export interface FileListQuery {
  readonly projectId: string;
  readonly status: FileStatus | undefined;
  readonly limit: number;
  readonly cursor: string | undefined;
}

/** Raised when a cursor does not decode to a position in this project's listing. */
export class BadCursorError extends Error {}

interface Position {
  readonly fileID: string;
  readonly uploadDate: string;
}

function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.fileID, position.uploadDate]), 'utf8').toString(
    'base64url',
  );
}

function decodeCursor(cursor: string): Position {
  if (!/^[\w-]{1,512}$/.test(cursor)) throw new BadCursorError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadCursorError();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    !parsed.every((v): v is string => typeof v === 'string' && v.length > 0 && v.length < 100)
  ) {
    throw new BadCursorError();
  }
  const [fileID, uploadDate] = parsed as [string, string];
  return { fileID, uploadDate };
}

/** The FileMetadata table (`{prefix}-file-metadata`), keyed by `fileID`, indexed by project. */
@Injectable()
export class FileMetadataRepository extends KeyedTable<FileRecord> {
  constructor(documents: DynamoDBDocumentClient, names: ResourceNames) {
    super(documents, names.table('file-metadata'), 'fileID');
  }

  /**
   * PENDING → AVAILABLE with the checked facts, and the expiry removed. Returns false when the item
   * is no longer PENDING (completed concurrently, or deleted).
   */
  async markAvailable(
    fileId: string,
    facts: Pick<
      FileRecord,
      'contentType' | 'fileType' | 'size' | 'sha256' | 'updatedAt' | 'availableAt'
    >,
  ): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { fileID: fileId },
          UpdateExpression:
            'SET #status = :available, contentType = :contentType, fileType = :fileType, #size = :size, sha256 = :sha256, updatedAt = :updatedAt, availableAt = :availableAt REMOVE expiresAt',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status', '#size': 'size' },
          ExpressionAttributeValues: {
            ':available': 'AVAILABLE',
            ':pending': 'PENDING',
            ':contentType': facts.contentType,
            ':fileType': facts.fileType,
            ':size': facts.size,
            ':sha256': facts.sha256,
            ':updatedAt': facts.updatedAt,
            ':availableAt': facts.availableAt,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isAwsError(error, 'ConditionalCheckFailedException')) return false;
      throw error;
    }
  }

  async delete(fileId: string): Promise<void> {
    await this.documents.send(
      new DeleteCommand({ TableName: this.table, Key: { fileID: fileId } }),
    );
  }

  /**
   * A project's files, newest first. With a status filter DynamoDB filters after reading, so this
   * reads on until the page is full; the cursor is the last returned item's position.
   */
  async listByProject(query: FileListQuery): Promise<FilePage> {
    const start = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    let exclusiveStartKey: Record<string, unknown> | undefined = start && {
      fileID: start.fileID,
      projectID: query.projectId,
      uploadDate: start.uploadDate,
    };
    const items: FileRecord[] = [];
    let more = true;
    while (items.length < query.limit && more) {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: BY_PROJECT,
          KeyConditionExpression: 'projectID = :projectId',
          ScanIndexForward: false,
          Limit: query.limit - items.length,
          ...(query.status
            ? {
                FilterExpression: '#status = :status',
                ExpressionAttributeNames: { '#status': 'status' },
              }
            : {}),
          ExpressionAttributeValues: {
            ':projectId': query.projectId,
            ...(query.status ? { ':status': query.status } : {}),
          },
          ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
        }),
      );
      items.push(...((page.Items ?? []) as FileRecord[]));
      exclusiveStartKey = page.LastEvaluatedKey;
      more = exclusiveStartKey !== undefined;
    }
    const last = items.at(-1);
    return {
      items,
      nextCursor: more && last ? encodeCursor(last) : undefined,
    };
  }
}
