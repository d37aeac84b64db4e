import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ApiAuthenticated,
  ApiProblem,
  ApiUuidParam,
  CurrentUser,
  uuidV4OrNotFound,
  type Principal,
} from '#libs/platform';
import {
  CompatCreateProjectDto,
  CompatProjectResponse,
  CompatUpdateProjectDto,
} from './dto/compat-project.dto.js';
import { CreateProjectDto } from './dto/create-project.dto.js';
import { ListProjectsQueryDto } from './dto/list-projects.query.dto.js';
import { ProjectPageResponse, ProjectResponse } from './dto/project.response.dto.js';
import { UpdateProjectDto } from './dto/update-project.dto.js';
import { etagOf, ifNoneMatchHits, parseIfMatch } from './etag.js';
import { parseProjectPost } from './project-post.parser.js';
import type { Project } from './project.js';
import { ProjectPreconditionRequiredError } from './project.errors.js';
import { ProjectsService } from './projects.service.js';

// A malformed id names no project: 404, like an unknown one.
const uuidOr404 = uuidV4OrNotFound();
const NOT_FOUND = 'No such project, or not yours (existence is not revealed)';
const NAME_TAKEN = 'You already have a project with this name';

function describe(res: Response, project: Project): ProjectResponse {
  res.setHeader('ETag', etagOf(project.version));
  return ProjectResponse.of(project);
}

@ApiTags('projects')
@ApiAuthenticated()
@ApiExtraModels(
  CreateProjectDto,
  CompatCreateProjectDto,
  CompatUpdateProjectDto,
  ProjectResponse,
  CompatProjectResponse,
)
@Controller('projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a project (REST), or the original ManageProjects create/update by `action`',
  })
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(CreateProjectDto) },
        { $ref: getSchemaPath(CompatCreateProjectDto) },
        { $ref: getSchemaPath(CompatUpdateProjectDto) },
      ],
    },
  })
  @ApiCreatedResponse({
    description: 'Created (REST body: the project; `action` body: {message, project})',
    schema: {
      oneOf: [
        { $ref: getSchemaPath(ProjectResponse) },
        { $ref: getSchemaPath(CompatProjectResponse) },
      ],
    },
  })
  @ApiOkResponse({ description: '`action: update`: updated', type: CompatProjectResponse })
  @ApiProblem(400, 'Malformed JSON, an invalid body or an unknown action')
  @ApiProblem(404, '`action: update`: ' + NOT_FOUND)
  @ApiProblem(409, NAME_TAKEN)
  @ApiProblem(412, '`action: update` with If-Match: the project changed since that version')
  @ApiProblem(413)
  async post(
    @CurrentUser() actor: Principal,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ProjectResponse | CompatProjectResponse> {
    const request = await parseProjectPost(body);
    if (request.kind === 'compat-update') {
      const { id, name, description } = request.body;
      const project = await this.projects.update(
        actor,
        id,
        {
          ...(name === undefined ? {} : { name }),
          ...(description === undefined ? {} : { description }),
        },
        parseIfMatch(ifMatch),
      );
      res.status(200);
      return { message: 'Project updated', project: describe(res, project) };
    }
    const project = await this.projects.create(actor, {
      name: request.body.name,
      description: request.body.description ?? '',
    });
    res.status(201).setHeader('Location', `/projects/${project.id}`);
    const view = describe(res, project);
    return request.kind === 'compat-create' ? { message: 'Project created', project: view } : view;
  }

  @Get()
  @ApiOperation({ summary: 'Your projects (administrators: everybody’s), paginated' })
  @ApiOkResponse({ type: ProjectPageResponse })
  @ApiProblem(400, 'Invalid query')
  async list(
    @CurrentUser() actor: Principal,
    @Query() query: ListProjectsQueryDto,
  ): Promise<ProjectPageResponse> {
    const page = await this.projects.list(actor, {
      search: query.search === '' ? undefined : query.search,
      sort: query.sort,
      page: query.page,
      pageSize: query.pageSize,
    });
    return {
      items: page.items.map((p) => ProjectResponse.of(p)),
      page: query.page,
      pageSize: query.pageSize,
      total: page.total,
    };
  }

  @Get(':id')
  @ApiUuidParam('id')
  @ApiOperation({ summary: 'One project, with its ETag (If-None-Match answers 304)' })
  @ApiOkResponse({ type: ProjectResponse })
  @ApiResponse({ status: 304, description: 'Your copy (If-None-Match) is current' })
  @ApiProblem(400)
  @ApiProblem(404, NOT_FOUND)
  async get(
    @CurrentUser() actor: Principal,
    @Param('id', uuidOr404) id: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ProjectResponse | undefined> {
    const project = await this.projects.get(actor, id);
    if (ifNoneMatchHits(ifNoneMatch, project.version)) {
      res.status(304).setHeader('ETag', etagOf(project.version));
      return undefined;
    }
    return describe(res, project);
  }

  @Patch(':id')
  @ApiUuidParam('id')
  @ApiOperation({
    summary: 'Change a project; needs If-Match (or `version`) to avoid lost updates',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from GET, e.g. "3"' })
  @ApiOkResponse({ type: ProjectResponse })
  @ApiProblem(400, 'Malformed JSON or an invalid body')
  @ApiProblem(404, NOT_FOUND)
  @ApiProblem(409, NAME_TAKEN)
  @ApiProblem(412, 'The project changed since that version')
  @ApiProblem(413)
  @ApiProblem(428, 'Neither If-Match nor version was sent')
  async update(
    @CurrentUser() actor: Principal,
    @Param('id', uuidOr404) id: string,
    @Body() body: UpdateProjectDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ProjectResponse> {
    const precondition =
      parseIfMatch(ifMatch) ?? (body.version === undefined ? undefined : [body.version]);
    if (precondition === undefined) throw new ProjectPreconditionRequiredError();
    const project = await this.projects.update(
      actor,
      id,
      {
        ...(body.name === undefined ? {} : { name: body.name }),
        ...(body.description === undefined ? {} : { description: body.description }),
      },
      precondition,
    );
    return describe(res, project);
  }

  @Delete(':id')
  @ApiUuidParam('id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a project (soft delete; If-Match optional)' })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblem(400)
  @ApiProblem(404, NOT_FOUND)
  @ApiProblem(412, 'If-Match given and the project changed')
  async remove(
    @CurrentUser() actor: Principal,
    @Param('id', uuidOr404) id: string,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.projects.remove(actor, id, parseIfMatch(ifMatch));
  }
}
