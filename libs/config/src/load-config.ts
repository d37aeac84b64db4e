import { AppConfig, ConfigError } from './app-config.js';

/** Entry points call this first: on a bad environment it prints every problem and exits 1. */
export function loadConfigOrExit(source: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return AppConfig.fromEnv(source);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
