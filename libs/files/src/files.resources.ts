import { declareResources } from '#libs/aws';

/** Files: their metadata (the objects themselves live in the shared storage bucket). */
export const filesResources = declareResources({
  owner: 'files',
  tables: [
    {
      name: 'file-metadata',
      purpose: 'Project files (the original FileMetadata table): one item per object in storage',
      partitionKey: { name: 'fileID', type: 'S' },
      // A project's files, newest first (uploadDate is an ISO-8601 timestamp).
      indexes: [
        {
          name: 'by-project',
          partitionKey: { name: 'projectID', type: 'S' },
          sortKey: { name: 'uploadDate', type: 'S' },
        },
      ],
      // Only PENDING items (presigned uploads never completed) carry expiresAt.
      ttlAttribute: 'expiresAt',
    },
  ],
});
