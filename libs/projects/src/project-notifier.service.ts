import { Injectable } from '@nestjs/common';
import { EmailNotifier, type NotificationOutcome } from '#libs/notifications';
import type { ProjectEvent, ProjectEventType } from './project-events.js';

export const PROJECT_CHANGE_TEMPLATE = 'project-change';

const CHANGE_WORDS: Readonly<Record<ProjectEventType, string>> = {
  'project.created': 'was created',
  'project.updated': 'was updated',
  'project.deleted': 'was deleted',
};

/** Who hears about a project event: its owner, by e-mail. */
@Injectable()
export class ProjectNotifier {
  constructor(private readonly email: EmailNotifier) {}

  async notify(event: ProjectEvent): Promise<NotificationOutcome> {
    const { project, actor } = event;
    return this.email.notify({
      eventId: event.eventId,
      recipient: project.owner,
      template: PROJECT_CHANGE_TEMPLATE,
      data: {
        eventId: event.eventId,
        change: CHANGE_WORDS[event.type],
        actor: actor.sub === project.owner ? 'you' : `an administrator (${actor.username})`,
        occurredAt: event.occurredAt,
        project: {
          id: project.id,
          name: project.name,
          description: project.description || '(none)',
          version: project.version,
        },
      },
    });
  }
}
