import { Injectable } from '@nestjs/common';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isAwsError, KeyedTable, ResourceNames } from '#libs/aws';
import { decodeCursor, encodeCursor } from '#libs/platform';
import type { ImagePage, ImageRecord, ImageVariant } from './image.js';

const BY_OWNER = 'by-owner';
const PAGE_KEY_ATTRIBUTES = ['ImageID', 'OwnerID', 'CreatedAt'] as const;

/** Raised when a cursor is not the nextCursor of this owner's listing. */
export class BadImageCursorError extends Error {}

export interface ClaimRequest {
  readonly imageId: string;
  readonly bucket: string;
  readonly key: string;
  /** Shown for objects that came without an item (put in the bucket by other means). */
  readonly fileName: string;
  readonly now: string;
  readonly leaseUntil: string;
}

export interface ReadyFacts {
  readonly size: number;
  readonly width: number;
  readonly height: number;
  readonly format: string;
  readonly contentType: string;
  readonly resizedImageKey: string;
  readonly variants: readonly ImageVariant[];
  readonly now: string;
}

/** The ImageMetadata table (`{prefix}-image-metadata`), keyed by `ImageID`, indexed by owner. */
@Injectable()
export class ImageMetadataRepository extends KeyedTable<ImageRecord> {
  constructor(documents: DynamoDBDocumentClient, names: ResourceNames) {
    super(documents, names.table('image-metadata'), 'ImageID');
  }

  /**
   * Takes the image for processing: PENDING (or PROCESSING with an expired lease, its worker gone)
   * → PROCESSING until `leaseUntil`. An original without an item (put in the bucket by any other
   * client) gets one, without owner. Returns undefined when the image is not for the taking:
   * READY or FAILED already (a redelivered event), or held by a live worker.
   */
  async claim(request: ClaimRequest): Promise<ImageRecord | undefined> {
    try {
      const result = await this.documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { ImageID: request.imageId },
          UpdateExpression:
            'SET #status = :processing, LeaseUntil = :lease, UpdatedAt = :now, #bucket = if_not_exists(#bucket, :bucket), OriginalKey = if_not_exists(OriginalKey, :key), FileName = if_not_exists(FileName, :name), ContentType = if_not_exists(ContentType, :unknown), CreatedAt = if_not_exists(CreatedAt, :now) REMOVE ExpiresAt, FailureReason',
          ConditionExpression:
            'attribute_not_exists(ImageID) OR (OriginalKey = :key AND (#status = :pending OR (#status = :processing AND LeaseUntil < :now)))',
          // Status, Bucket, Size and Format are DynamoDB reserved words.
          ExpressionAttributeNames: { '#status': 'Status', '#bucket': 'Bucket' },
          ExpressionAttributeValues: {
            ':processing': 'PROCESSING',
            ':pending': 'PENDING',
            ':lease': request.leaseUntil,
            ':now': request.now,
            ':bucket': request.bucket,
            ':key': request.key,
            ':name': request.fileName,
            ':unknown': 'application/octet-stream',
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes as ImageRecord;
    } catch (error) {
      if (isAwsError(error, 'ConditionalCheckFailedException')) return undefined;
      throw error;
    }
  }

  /** PROCESSING (under this lease) → READY. False if the image was deleted or taken meanwhile. */
  async markReady(imageId: string, leaseUntil: string, facts: ReadyFacts): Promise<boolean> {
    return this.finish(imageId, leaseUntil, {
      UpdateExpression:
        'SET #status = :ready, #size = :size, #width = :width, #height = :height, #format = :format, ContentType = :contentType, ResizedImageKey = :resized, Variants = :variants, ProcessedAt = :now, UpdatedAt = :now REMOVE LeaseUntil',
      ExpressionAttributeNames: {
        '#size': 'Size',
        '#format': 'Format',
        '#width': 'Width',
        '#height': 'Height',
      },
      ExpressionAttributeValues: {
        ':ready': 'READY',
        ':size': facts.size,
        ':width': facts.width,
        ':height': facts.height,
        ':format': facts.format,
        ':contentType': facts.contentType,
        ':resized': facts.resizedImageKey,
        ':variants': facts.variants,
        ':now': facts.now,
      },
    });
  }

  /** PROCESSING (under this lease) → FAILED with a reason people can read. */
  async markFailed(
    imageId: string,
    leaseUntil: string,
    reason: string,
    now: string,
  ): Promise<boolean> {
    return this.finish(imageId, leaseUntil, {
      UpdateExpression:
        'SET #status = :failed, FailureReason = :reason, ProcessedAt = :now, UpdatedAt = :now REMOVE LeaseUntil',
      ExpressionAttributeValues: { ':failed': 'FAILED', ':reason': reason, ':now': now },
    });
  }

  /** PROCESSING → PENDING after a transient failure, so the retried event can claim it at once. */
  async release(imageId: string, leaseUntil: string, now: string): Promise<boolean> {
    return this.finish(imageId, leaseUntil, {
      UpdateExpression: 'SET #status = :pending, UpdatedAt = :now REMOVE LeaseUntil',
      ExpressionAttributeValues: { ':pending': 'PENDING', ':now': now },
    });
  }

  async delete(imageId: string): Promise<void> {
    await this.documents.send(
      new DeleteCommand({ TableName: this.table, Key: { ImageID: imageId } }),
    );
  }

  /** The owner's images, newest first. */
  async listByOwner(
    ownerId: string,
    limit: number,
    cursor: string | undefined,
  ): Promise<ImagePage> {
    const start =
      cursor === undefined
        ? undefined
        : decodeCursor(cursor, {
            attributes: PAGE_KEY_ATTRIBUTES,
            partition: ['OwnerID', ownerId],
          });
    if (cursor !== undefined && !start) throw new BadImageCursorError();
    const page = await this.documents.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: BY_OWNER,
        KeyConditionExpression: 'OwnerID = :owner',
        ExpressionAttributeValues: { ':owner': ownerId },
        ScanIndexForward: false,
        Limit: limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const last = page.LastEvaluatedKey as Record<string, string> | undefined;
    return {
      items: (page.Items ?? []) as ImageRecord[],
      nextCursor: last ? encodeCursor(last) : undefined,
    };
  }

  private async finish(
    imageId: string,
    leaseUntil: string,
    update: {
      readonly UpdateExpression: string;
      readonly ExpressionAttributeNames?: Record<string, string>;
      readonly ExpressionAttributeValues: Record<string, unknown>;
    },
  ): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { ImageID: imageId },
          UpdateExpression: update.UpdateExpression,
          ConditionExpression: '#status = :processing AND LeaseUntil = :lease',
          ExpressionAttributeNames: { '#status': 'Status', ...update.ExpressionAttributeNames },
          ExpressionAttributeValues: {
            ...update.ExpressionAttributeValues,
            ':processing': 'PROCESSING',
            ':lease': leaseUntil,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isAwsError(error, 'ConditionalCheckFailedException')) return false;
      throw error;
    }
  }
}
