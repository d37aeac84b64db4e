import { writeFile } from 'node:fs/promises';
import { AppConfig } from '#libs/config';
import { ScheduledTask, type ScheduledTaskHandler } from './scheduled-task.js';

/** Touches WORKER_HEARTBEAT_FILE so the container healthcheck can tell a stuck worker. */
@ScheduledTask({
  name: 'heartbeat',
  purpose: 'Touches the worker heartbeat file the container healthcheck reads',
  cron: '*/10 * * * * *',
  // No rule: in Lambda it would only prove that a rule fires. Invoking the worker function with
  // {"task":"heartbeat"} stays a harmless smoke test (no heartbeat file there).
  schedule: {
    processOnly:
      'proves to the container healthcheck that the long-running worker process is alive; a Lambda has no process to watch',
  },
})
export class HeartbeatTask implements ScheduledTaskHandler {
  constructor(private readonly config: AppConfig) {}

  async run(): Promise<void> {
    const file = this.config.worker.heartbeatFile;
    if (file) await writeFile(file, new Date().toISOString());
  }
}
