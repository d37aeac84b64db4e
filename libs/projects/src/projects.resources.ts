import { declareResources, queueAlarms } from '#libs/aws';
import { projectChangeTemplate } from './project-change.template.js';
import { PROJECT_EVENTS_QUEUE } from './project-events.js';

/**
 * Projects (rows in SQL, not here): the queue their changes go to through the outbox, and the
 * e-mail the worker sends from it. The outbox relay and purge schedules come from their tasks.
 */
export const projectsResources = declareResources({
  owner: 'projects',
  queues: [
    {
      name: PROJECT_EVENTS_QUEUE,
      purpose: 'Project changes (the original ProjectNotificationsQueue)',
      visibilityTimeoutSeconds: 60,
      maxReceiveCount: 5,
    },
  ],
  emailTemplates: [projectChangeTemplate],
  alarms: queueAlarms(PROJECT_EVENTS_QUEUE, { oldestMessageAgeSeconds: 300 }),
});
