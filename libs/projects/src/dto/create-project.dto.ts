import { ProjectDescription, ProjectName } from './project-fields.js';

/** POST /projects (REST). */
export class CreateProjectDto {
  @ProjectName(true)
  name!: string;

  @ProjectDescription()
  description?: string;
}
