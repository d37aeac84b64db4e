import { runWorker } from '../../../apps/worker/src/run-worker.js';
import { FaultJobHandlersModule } from './fault-job-handlers.js';

// The real long-running worker entry point with the fault tier's job types (spawned, then killed).
await runWorker([FaultJobHandlersModule]);
