import type {
  BucketNotificationFragment,
  ResourceFragment,
  ResourceManifest,
  ScheduleSpec,
} from './manifest.types.js';

/** Fragments that do not fit together: a name declared twice, a reference to nothing. */
export class ManifestError extends Error {
  override name = 'ManifestError';
}

type Section = Exclude<keyof ResourceFragment, 'owner'>;
type Item<K extends Section> = NonNullable<ResourceFragment[K]>[number];

const SCHEDULE_EXPRESSION = /^(rate|cron)\(.+\)$/;

/**
 * The manifest from the libs' fragments and the tasks' schedules. Pure and order-independent:
 * fragments are taken by owner and schedules by name, so every entry point (API, worker, bootstrap,
 * tests) that loads the same libs sees the same manifest. Checks every name and reference.
 */
export function assembleManifest(
  fragments: readonly ResourceFragment[],
  schedules: readonly ScheduleSpec[],
): ResourceManifest {
  const sorted = [...fragments].sort((a, b) => a.owner.localeCompare(b.owner));
  const owned = <K extends Section>(section: K) =>
    sorted.flatMap((f) => (f[section] ?? []).map((item: Item<K>) => ({ owner: f.owner, item })));
  const all = <K extends Section>(section: K): Item<K>[] => owned(section).map((o) => o.item);

  unique(
    'fragment',
    sorted.map((f) => ({ owner: f.owner, name: f.owner })),
  );
  const notifications = all('bucketNotifications');
  const manifest: ResourceManifest = {
    tables: all('tables'),
    queues: all('queues'),
    buckets: all('buckets').map((bucket) => ({
      ...bucket,
      notifications: notifications
        .filter((n) => n.bucket === bucket.name)
        .map(({ prefix, queue, events }) => ({ prefix, queue, events })),
    })),
    buses: all('buses'),
    rules: all('rules'),
    schedules: [...schedules].sort((a, b) => a.name.localeCompare(b.name)),
    emailTemplates: all('emailTemplates'),
    emailIdentities: [...new Set(all('emailIdentities'))],
    secrets: all('secrets'),
    userPools: all('userPools'),
    alarms: all('alarms'),
  };

  for (const section of [
    'tables',
    'queues',
    'buckets',
    'buses',
    'emailTemplates',
    'secrets',
    'userPools',
    'alarms',
  ] as const) {
    unique(
      section,
      owned(section).map(({ owner, item }) => ({ owner, name: item.name })),
    );
  }
  // Bus rules and schedule rules share one namespace (ResourceNames.rule).
  unique('rules', [
    ...owned('rules').map(({ owner, item }) => ({ owner, name: item.name })),
    ...manifest.schedules.map((s) => ({ owner: `task ${s.task}`, name: s.name })),
  ]);
  checkReferences(manifest, notifications);
  return manifest;
}

function unique(what: string, entries: readonly { owner: string; name: string }[]): void {
  const seen = new Map<string, string>();
  for (const { owner, name } of entries) {
    const first = seen.get(name);
    if (first !== undefined)
      throw new ManifestError(`${what}: ${name} is declared by both ${first} and ${owner}`);
    seen.set(name, owner);
  }
}

function checkReferences(
  manifest: ResourceManifest,
  notifications: readonly BucketNotificationFragment[],
): void {
  const names = (list: readonly { name: string }[]) => new Set(list.map((i) => i.name));
  const queues = names(manifest.queues);
  const buses = names(manifest.buses);
  const buckets = names(manifest.buckets);
  const secrets = names(manifest.secrets);
  const expect = (set: Set<string>, name: string, what: string, by: string) => {
    if (!set.has(name))
      throw new ManifestError(`${by} refers to ${what} ${name}, which no loaded fragment declares`);
  };
  for (const n of notifications) {
    expect(buckets, n.bucket, 'bucket', `notification ${n.prefix} → ${n.queue}`);
    expect(queues, n.queue, 'queue', `notification of bucket ${n.bucket}`);
  }
  for (const rule of manifest.rules) {
    expect(buses, rule.bus, 'bus', `rule ${rule.name}`);
    expect(queues, rule.queue, 'queue', `rule ${rule.name}`);
  }
  for (const schedule of manifest.schedules) {
    if (!SCHEDULE_EXPRESSION.test(schedule.expression))
      throw new ManifestError(
        `task ${schedule.task}: ${schedule.expression} is not rate(...) or cron(...)`,
      );
  }
  for (const pool of manifest.userPools)
    expect(secrets, pool.demoUser.secret, 'secret', `user pool ${pool.name}`);
  for (const alarm of manifest.alarms) {
    for (const value of Object.values(alarm.dimensions)) {
      if ('queue' in value) expect(queues, value.queue, 'queue', `alarm ${alarm.name}`);
      if ('deadLetterQueue' in value)
        expect(queues, value.deadLetterQueue, 'queue', `alarm ${alarm.name}`);
    }
  }
}
