import { randomUUID } from 'node:crypto';
import { currentCorrelationId, isAdmin, type Principal } from '#libs/platform';
import type { Project } from './project.js';

/** Logical name of the SQS queue (the original ProjectNotificationsQueue), with a DLQ. */
export const PROJECT_EVENTS_QUEUE = 'project-events';
export const PROJECT_EVENT_SCHEMA_VERSION = 1;
export const PROJECT_EVENT_TYPES = [
  'project.created',
  'project.updated',
  'project.deleted',
] as const;
export type ProjectEventType = (typeof PROJECT_EVENT_TYPES)[number];

/** The project as it is after the change (for a deletion: as it was, with `deletedAt`). */
export interface ProjectSnapshot {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly owner: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly deletedAt: string | null;
}

/** Who made the change. Administrators may change projects they do not own. */
export interface ProjectEventActor {
  readonly sub: string;
  readonly username: string;
  readonly admin: boolean;
}

/** Body of every message on the project-events queue (schema version 1). */
export interface ProjectEvent {
  readonly eventId: string;
  readonly type: ProjectEventType;
  readonly schemaVersion: typeof PROJECT_EVENT_SCHEMA_VERSION;
  readonly occurredAt: string;
  readonly correlationId: string | null;
  readonly actor: ProjectEventActor;
  readonly project: ProjectSnapshot;
}

export function projectSnapshot(project: Project): ProjectSnapshot {
  return {
    id: project.id,
    name: project.name,
    description: project.description,
    owner: project.owner,
    version: project.version,
    createdAt: project.createdAt.toISOString(),
    updatedAt: project.updatedAt.toISOString(),
    deletedAt: project.deletedAt?.toISOString() ?? null,
  };
}

export function projectEvent(
  type: ProjectEventType,
  project: Project,
  actor: Principal,
): ProjectEvent {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: PROJECT_EVENT_SCHEMA_VERSION,
    occurredAt: project.updatedAt.toISOString(),
    correlationId: currentCorrelationId() ?? null,
    actor: { sub: actor.sub, username: actor.username, admin: isAdmin(actor) },
    project: projectSnapshot(project),
  };
}

export class InvalidProjectEventError extends Error {
  override name = 'InvalidProjectEventError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses and checks a message body; anything else is a poison message (left for the DLQ). */
export function parseProjectEvent(body: string): ProjectEvent {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new InvalidProjectEventError('The message body is not JSON');
  }
  if (!isRecord(value)) throw new InvalidProjectEventError('The message body is not an object');
  if (value.schemaVersion !== PROJECT_EVENT_SCHEMA_VERSION) {
    throw new InvalidProjectEventError(
      `Unsupported schemaVersion ${JSON.stringify(value.schemaVersion)}`,
    );
  }
  const { eventId, type, occurredAt, actor, project } = value;
  const typeOk = PROJECT_EVENT_TYPES.includes(type as ProjectEventType);
  const actorOk =
    isRecord(actor) && typeof actor.sub === 'string' && typeof actor.username === 'string';
  const projectOk =
    isRecord(project) &&
    typeof project.id === 'string' &&
    typeof project.name === 'string' &&
    typeof project.description === 'string' &&
    typeof project.owner === 'string' &&
    typeof project.version === 'number';
  if (typeof eventId !== 'string' || !typeOk || typeof occurredAt !== 'string') {
    throw new InvalidProjectEventError('eventId, type or occurredAt is missing or invalid');
  }
  if (!actorOk || !projectOk) {
    throw new InvalidProjectEventError('actor or project is missing or invalid');
  }
  return value as unknown as ProjectEvent;
}
