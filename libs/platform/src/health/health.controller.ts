import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { Public } from '../auth/principal.js';
import { DomainError } from '../errors/domain.error.js';
import { ApiProblem } from '../http/api-problems.js';
import { AwsHealthIndicators } from './aws-health.indicators.js';
import { DatabaseHealthIndicator } from './database-health.indicator.js';

export class NotReadyError extends DomainError {
  constructor(failing: readonly string[], checks: unknown) {
    super('not-ready', 503, 'Service not ready', {
      detail: `Unavailable: ${failing.join(', ')}`,
      extensions: { failing, checks },
    });
  }
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly aws: AwsHealthIndicators,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up and serving' })
  @ApiOkResponse({ description: 'Alive' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the SQL database and every AWS dependency answer' })
  @ApiOkResponse({ description: 'Everything is reachable' })
  @ApiProblem(503, 'A dependency is down; `failing` names it')
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.database.check(), ...this.aws.all()]);
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        const body = error.getResponse() as HealthCheckResult;
        throw new NotReadyError(Object.keys(body.error ?? {}), body.details);
      }
      throw error;
    }
  }
}
