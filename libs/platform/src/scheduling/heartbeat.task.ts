import { writeFile } from 'node:fs/promises';
import { AppConfig } from '#libs/config';
import { ScheduledTask, type ScheduledTaskHandler } from './scheduled-task.js';

/** Touches WORKER_HEARTBEAT_FILE so the container healthcheck can tell a stuck worker. */
@ScheduledTask({ name: 'heartbeat', cron: '*/10 * * * * *' })
export class HeartbeatTask implements ScheduledTaskHandler {
  constructor(private readonly config: AppConfig) {}

  async run(): Promise<void> {
    const file = this.config.worker.heartbeatFile;
    if (file) await writeFile(file, new Date().toISOString());
  }
}
