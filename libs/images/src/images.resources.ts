import { declareResources, queueAlarms } from '#libs/aws';
import { ORIGINALS_PREFIX } from './image-keys.js';

const IMAGES_QUEUE = 'images';

/**
 * Images: their metadata, and the queue S3 notifies of every new original in the shared storage
 * bucket (the worker resizes them from there).
 */
export const imagesResources = declareResources({
  owner: 'images',
  tables: [
    {
      name: 'image-metadata',
      purpose:
        'Images (the original ImageMetadata table): original, 128x128 ResizedImageKey, variants, status',
      partitionKey: { name: 'ImageID', type: 'S' },
      // The owner's images, newest first. Images put in the bucket by other means have no OwnerID
      // (sparse index): they are processed and recorded but nobody lists them.
      indexes: [
        {
          name: 'by-owner',
          partitionKey: { name: 'OwnerID', type: 'S' },
          sortKey: { name: 'CreatedAt', type: 'S' },
        },
      ],
      // Only PENDING items of presigned uploads carry ExpiresAt (removed once the bytes arrive).
      ttlAttribute: 'ExpiresAt',
    },
  ],
  queues: [
    {
      name: IMAGES_QUEUE,
      purpose: 'S3 upload events for image originals',
      visibilityTimeoutSeconds: 120,
      maxReceiveCount: 3,
    },
  ],
  bucketNotifications: [
    {
      bucket: 'storage',
      prefix: ORIGINALS_PREFIX,
      queue: IMAGES_QUEUE,
      events: ['s3:ObjectCreated:*'],
    },
  ],
  alarms: queueAlarms(IMAGES_QUEUE, { oldestMessageAgeSeconds: 600 }),
});
