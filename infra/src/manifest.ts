// The manifest holds the resources of the libs loaded in this process. Loading the two app
// modules loads every lib they wire, so the stack declares exactly what the API and the worker
// use: each lib's `*.resources.ts` declares its fragment, each @ScheduledTask its schedule (the
// same two imports as scripts/bootstrap.ts, so the emulators and the cloud get the same list).
import '../../apps/api/src/api.module.js';
import '../../apps/worker/src/worker.module.js';
import { resourceManifest, type ResourceManifest } from '#libs/aws';

/** Every resource CodeCraft declares, with logical names (ResourceNames makes them physical). */
export function loadManifest(): ResourceManifest {
  return resourceManifest;
}
