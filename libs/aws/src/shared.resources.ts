import { declareResources } from './manifest/manifest-registry.js';
import type { UserPoolSpec } from './manifest/manifest.types.js';

/** The one user pool: API tokens, the notifications' address look-up, the demo user. */
export const USER_POOL: UserPoolSpec = {
  name: 'users',
  clientName: 'api',
  groups: ['admin'],
  demoUser: { secret: 'demo-user', groups: [] },
};

/**
 * What several domains share, so no domain owns it: the storage bucket (project files, image
 * originals and variants, job outputs; each domain adds its own notifications) and the users.
 */
export const sharedResources = declareResources({
  owner: 'shared',
  buckets: [
    {
      name: 'storage',
      purpose: 'Private bucket for project files, image originals and variants, job outputs',
      // Browsers PUT presigned uploads and GET presigned downloads straight from S3. Any origin:
      // a presigned URL is its own credential (no cookies), so the origin adds no protection.
      cors: [
        {
          allowedOrigins: ['*'],
          allowedMethods: ['GET', 'PUT', 'HEAD'],
          allowedHeaders: ['content-type', 'content-length'],
          exposeHeaders: ['ETag'],
          maxAgeSeconds: 3600,
        },
      ],
    },
  ],
  secrets: [
    {
      name: USER_POOL.demoUser.secret,
      purpose: 'Password of the emulator demo user (local only)',
      generate: 'password',
    },
  ],
  userPools: [USER_POOL],
});
