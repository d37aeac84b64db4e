import { ConflictError, DomainError, NotFoundError } from '#libs/platform';

export class ProjectNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('Project', id);
  }
}

export class ProjectNameTakenError extends ConflictError {
  constructor(name: string) {
    super(`You already have a project named "${name}"`, { field: 'name' });
  }
}

export class ProjectVersionMismatchError extends DomainError {
  constructor(currentVersion?: number) {
    super('precondition-failed', 412, 'Precondition failed', {
      detail: 'The project has changed since you read it: fetch it again and reapply your change',
      ...(currentVersion === undefined
        ? {}
        : { extensions: { currentVersion, currentETag: `"${currentVersion}"` } }),
    });
  }
}

export class ProjectPreconditionRequiredError extends DomainError {
  constructor() {
    super('precondition-required', 428, 'Precondition required', {
      detail:
        'Send If-Match with the ETag from GET /projects/{id} (or a `version` in the body) so that concurrent changes are not overwritten',
    });
  }
}

export class UnknownProjectActionError extends DomainError {
  constructor(action: unknown) {
    super('unknown-action', 400, 'Unknown action', {
      detail: `Unknown action ${action === undefined ? 'undefined' : JSON.stringify(action)}: use "create" or "update"`,
      extensions: { allowed: ['create', 'update'] },
    });
  }
}
