export * from './app-config.js';
export * from './config.module.js';
export { configSchema, type Env } from './config.schema.js';
export * from './load-config.js';
