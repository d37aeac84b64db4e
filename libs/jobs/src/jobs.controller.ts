import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ApiAuthenticated,
  ApiIdempotencyKey,
  ApiProblem,
  ApiUuidParam,
  CurrentUser,
  uuidV4,
  type Principal,
} from '#libs/platform';
import { CreateJobBodyPipe } from './create-job-body.pipe.js';
import { CreateJobDto, LegacyJobDto, type CreateJobInput } from './dto/create-job.dto.js';
import { JobDto, JobPageDto, JobTypesDto } from './dto/job.dto.js';
import { ListJobsQueryDto } from './dto/list-jobs.query.dto.js';
import { JobsService } from './jobs.service.js';

const uuid = uuidV4();

@ApiTags('jobs')
@ApiAuthenticated()
@ApiExtraModels(CreateJobDto, LegacyJobDto)
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Submit a job',
    description:
      'Stored in DynamoDB, then sent to the jobs queue. Also accepts the original system body ' +
      '`{"job_type": ..., ...data}`. With an Idempotency-Key, repeating the same body returns the ' +
      'same job (header Idempotent-Replayed: true); a different body answers 409.',
  })
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(CreateJobDto) },
        { allOf: [{ $ref: getSchemaPath(LegacyJobDto) }], additionalProperties: true },
      ],
    },
  })
  @ApiIdempotencyKey()
  @ApiAcceptedResponse({ type: JobDto })
  @ApiProblem(400, 'Malformed JSON, not an object, an invalid field or Idempotency-Key')
  @ApiProblem(413, 'Payload over JOBS_MAX_PAYLOAD_BYTES, or the body over HTTP_BODY_LIMIT_BYTES')
  @ApiProblem(422, 'Unknown job type (the problem lists knownTypes)')
  async create(
    @CurrentUser() principal: Principal,
    @Body(CreateJobBodyPipe) input: CreateJobInput,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<JobDto> {
    const { job, replayed } = await this.jobs.create(principal, input, idempotencyKey);
    response.setHeader('Location', `/jobs/${job.id}`);
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    return job;
  }

  @Get('types')
  @ApiOperation({ summary: 'Job types this deployment can run' })
  @ApiOkResponse({ type: JobTypesDto })
  types(): JobTypesDto {
    return { types: this.jobs.types() };
  }

  @Get()
  @ApiOperation({ summary: "The caller's jobs, newest first, optionally by status and type" })
  @ApiOkResponse({ type: JobPageDto })
  @ApiProblem(400, 'Invalid query or cursor')
  list(@CurrentUser() principal: Principal, @Query() query: ListJobsQueryDto): Promise<JobPageDto> {
    return this.jobs.list(principal, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A job: status, attempts, last error, result location, timestamps' })
  @ApiUuidParam('id')
  @ApiOkResponse({ type: JobDto })
  @ApiProblem(400, 'id is not a UUID v4')
  @ApiProblem(404, 'No such job (or not yours)')
  get(@CurrentUser() principal: Principal, @Param('id', uuid) id: string): Promise<JobDto> {
    return this.jobs.get(principal, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a QUEUED job: it will never run' })
  @ApiUuidParam('id')
  @ApiOkResponse({ type: JobDto })
  @ApiProblem(400, 'id is not a UUID v4')
  @ApiProblem(404, 'No such job (or not yours)')
  @ApiProblem(409, 'The job is already running or finished')
  cancel(@CurrentUser() principal: Principal, @Param('id', uuid) id: string): Promise<JobDto> {
    return this.jobs.cancel(principal, id);
  }

  @Post(':id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Run a FAILED job again, with a fresh attempt budget' })
  @ApiUuidParam('id')
  @ApiAcceptedResponse({ type: JobDto })
  @ApiProblem(400, 'id is not a UUID v4')
  @ApiProblem(404, 'No such job (or not yours)')
  @ApiProblem(409, 'The job is not FAILED')
  retry(@CurrentUser() principal: Principal, @Param('id', uuid) id: string): Promise<JobDto> {
    return this.jobs.retry(principal, id);
  }
}
