import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { queueAlarms } from './alarms.js';
import { assembleManifest, ManifestError } from './assemble-manifest.js';
import type { ResourceFragment } from './manifest.types.js';

const shared: ResourceFragment = {
  owner: 'shared',
  buckets: [{ name: 'storage', purpose: 'p' }],
};
const images: ResourceFragment = {
  owner: 'images',
  queues: [{ name: 'images', purpose: 'p', visibilityTimeoutSeconds: 60, maxReceiveCount: 3 }],
  bucketNotifications: [
    { bucket: 'storage', prefix: 'images/', queue: 'images', events: ['s3:ObjectCreated:*'] },
  ],
  alarms: queueAlarms('images', { oldestMessageAgeSeconds: 600 }),
};
const relay = { name: 'relay', task: 'relay', expression: 'rate(1 minute)', purpose: 'p' };

describe('assembleManifest', () => {
  it('merges the fragments, whatever their order, with each bucket notification on its bucket', () => {
    const manifest = assembleManifest([images, shared], [relay]);
    assert.deepEqual(manifest, assembleManifest([shared, images], [relay]));
    assert.deepEqual(manifest.buckets, [
      {
        name: 'storage',
        purpose: 'p',
        notifications: [{ prefix: 'images/', queue: 'images', events: ['s3:ObjectCreated:*'] }],
      },
    ]);
    assert.deepEqual(
      manifest.alarms.map((a) => a.name),
      ['images-dlq-depth', 'images-oldest-message-age'],
    );
    assert.deepEqual(manifest.schedules, [relay]);
    assert.deepEqual(manifest.tables, []);
  });

  it('refuses a name declared by two fragments', () => {
    assert.throws(
      () => assembleManifest([shared, images, { owner: 'other', buckets: shared.buckets }], []),
      (error: Error) =>
        error instanceof ManifestError &&
        error.message.includes('storage is declared by both other and shared'),
    );
    assert.throws(
      () =>
        assembleManifest(
          [
            shared,
            images,
            {
              owner: 'bank',
              buses: [{ name: 'bank', purpose: 'p' }],
              rules: [{ name: 'relay', bus: 'bank', pattern: {}, queue: 'images', purpose: 'p' }],
            },
          ],
          [relay],
        ),
      /rules: relay is declared by both bank and task relay/,
    );
  });

  it('refuses references to resources no loaded fragment declares', () => {
    assert.throws(() => assembleManifest([images], []), /refers to bucket storage/);
    assert.throws(
      () => assembleManifest([shared, { ...images, owner: 'x', queues: [] }], []),
      /refers to queue images/,
    );
    assert.throws(
      () => assembleManifest([shared, images], [{ ...relay, expression: 'every minute' }]),
      /not rate\(\.\.\.\) or cron\(\.\.\.\)/,
    );
  });
});
