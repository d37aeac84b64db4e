import { ClosedSchema } from '#libs/platform';
import { ProjectDescription, ProjectName } from './project-fields.js';

/** POST /projects (REST). */
@ClosedSchema()
export class CreateProjectDto {
  @ProjectName(true)
  name!: string;

  @ProjectDescription()
  description?: string;
}
