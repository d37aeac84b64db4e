import { assembleManifest, ManifestError } from './assemble-manifest.js';
import type { ResourceFragment, ResourceManifest, ScheduleSpec } from './manifest.types.js';

const fragments = new Map<string, ResourceFragment>();
const schedules = new Map<string, ScheduleSpec>();
let assembled: ResourceManifest | undefined;

/**
 * Registers a lib's fragment of the manifest and returns it. Each lib calls it once, in its own
 * `*.resources.ts`, which its index exports: loading a lib declares its resources.
 */
export function declareResources<F extends ResourceFragment>(fragment: F): F {
  const existing = fragments.get(fragment.owner);
  if (existing && existing !== fragment)
    throw new ManifestError(`Two resource fragments are owned by ${fragment.owner}`);
  fragments.set(fragment.owner, fragment);
  assembled = undefined;
  return fragment;
}

/** Registers the cloud schedule of a task (called by @ScheduledTask, never by hand). */
export function declareSchedule(schedule: ScheduleSpec): void {
  const existing = schedules.get(schedule.task);
  if (existing && JSON.stringify(existing) !== JSON.stringify(schedule))
    throw new ManifestError(`Two scheduled tasks are named ${schedule.task}`);
  schedules.set(schedule.task, schedule);
  assembled = undefined;
}

function current(): ResourceManifest {
  assembled ??= assembleManifest([...fragments.values()], [...schedules.values()]);
  return assembled;
}

/**
 * Every resource of the libs loaded in this process, assembled on first read (and again after a
 * lib loaded later declares more). The API and the worker load every domain their module wires;
 * `npm run bootstrap` loads both app modules, so it creates exactly what the two apps use.
 */
export const resourceManifest: ResourceManifest = {
  get tables() {
    return current().tables;
  },
  get queues() {
    return current().queues;
  },
  get buckets() {
    return current().buckets;
  },
  get buses() {
    return current().buses;
  },
  get rules() {
    return current().rules;
  },
  get schedules() {
    return current().schedules;
  },
  get emailTemplates() {
    return current().emailTemplates;
  },
  get emailIdentities() {
    return current().emailIdentities;
  },
  get secrets() {
    return current().secrets;
  },
  get userPools() {
    return current().userPools;
  },
  get alarms() {
    return current().alarms;
  },
};
