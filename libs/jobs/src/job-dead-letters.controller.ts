import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ADMIN_GROUP, ApiAuthenticated, ApiProblem, RequireGroups } from '#libs/platform';
import { DeadLetterCountDto, RedriveDto, RedriveResultDto } from './dto/dead-letters.dto.js';
import { JobDeadLettersService } from './job-dead-letters.service.js';

@ApiTags('jobs')
@ApiAuthenticated()
@Controller('jobs/dead-letters')
export class JobDeadLettersController {
  constructor(private readonly deadLetters: JobDeadLettersService) {}

  @Get()
  @ApiOperation({ summary: 'Count the messages on the jobs dead-letter queue' })
  @ApiOkResponse({ type: DeadLetterCountDto })
  count(): Promise<DeadLetterCountDto> {
    return this.deadLetters.count();
  }

  @Post('redrive')
  @HttpCode(200)
  @RequireGroups(ADMIN_GROUP)
  @ApiOperation({
    summary: 'Move dead-lettered job messages back to the jobs queue (admin)',
    description:
      'FAILED jobs among them are reset to QUEUED with a fresh attempt budget and run again.',
  })
  @ApiOkResponse({ type: RedriveResultDto })
  @ApiProblem(400, 'Malformed JSON or an invalid max')
  @ApiProblem(403, 'Not in the admin group')
  @ApiProblem(413)
  redrive(@Body() body: RedriveDto): Promise<RedriveResultDto> {
    return this.deadLetters.redrive(body.max ?? 100);
  }
}
