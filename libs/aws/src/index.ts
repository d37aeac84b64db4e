export * from './aws-clients.js';
export * from './aws-errors.js';
export * from './aws.module.js';
export * from './resource-names.js';
export * from './manifest/manifest.types.js';
export * from './manifest/resource-manifest.js';
export * from './manifest/bootstrap.js';
export * from './cognito-users.js';
