import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem.js';

/**
 * RFC 9457 problem document: the body of every error the API answers, as
 * `application/problem+json` (the `ProblemDetails` schema). Extension members may follow (`errors`,
 * `field`, `knownTypes`, ...).
 */
export class ProblemDetails {
  @ApiProperty({
    description: 'The problem type: /problems/{code}',
    example: '/problems/not-found',
  })
  type!: string;

  @ApiProperty({ example: 'Resource not found' })
  title!: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 404 })
  status!: number;

  @ApiProperty({ description: 'Stable, machine-readable', example: 'not-found' })
  code!: string;

  @ApiPropertyOptional({ example: 'Project 0b7c6a3e-4d39-4f51-9d5f-2f4b8a1c9e10 does not exist' })
  detail?: string;

  @ApiPropertyOptional({
    description: 'The request path',
    example: '/projects/0b7c6a3e-4d39-4f51-9d5f-2f4b8a1c9e10',
  })
  instance?: string;

  @ApiPropertyOptional({ description: 'Quote it when reporting a problem' })
  correlationId?: string;
}

/** The error statuses an operation may declare, with what they mean here by default. */
const DESCRIPTIONS = {
  400: 'Malformed request (JSON, percent-encoding), or values that fail validation (`errors` lists them)',
  401: 'Missing, malformed, expired or foreign bearer token',
  403: 'Authenticated, but not allowed to do this',
  404: 'No such resource, or not yours (existence is not revealed)',
  405: 'The resource does not support this method (`Allow` lists those it does)',
  409: 'Conflicts with the current state of the resource',
  412: 'If-Match does not match the current version',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Well-formed, but not acceptable',
  428: 'A precondition (If-Match) is required',
  503: 'A dependency is unavailable; retry later',
} as const;

export type ProblemHttpStatus = keyof typeof DESCRIPTIONS;

/** Declares an error response of an operation (or of every operation of a controller) as problem+json. */
export function ApiProblem(
  status: ProblemHttpStatus,
  description: string = DESCRIPTIONS[status],
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetails),
    ApiResponse({
      status,
      description,
      content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetails) } } },
    }),
  );
}

/** Several error responses with their default descriptions. */
export function ApiProblems(...statuses: ProblemHttpStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...statuses.map((status) => ApiProblem(status)));
}

/**
 * A controller (or operation) behind the global AuthGuard: the bearer security requirement and
 * its 401. Every controller that is not `@Public()` carries it.
 */
export function ApiAuthenticated(): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiBearerAuth(), ApiProblem(401));
}
