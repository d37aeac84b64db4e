import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  SwaggerModule,
  getSchemaPath,
  type OpenAPIObject,
  type PathItemObject,
  type ResponseObject,
} from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem.js';
import { ProblemDetails } from './api-problems.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/** The 429 any operation may answer: the rate limit guards every route (RATE_LIMIT_*). */
const TOO_MANY_REQUESTS: ResponseObject = {
  description: "The caller's request budget for the current window is spent (RATE_LIMIT_*)",
  headers: {
    'Retry-After': {
      description: 'Seconds until the window ends and requests are accepted again',
      schema: { type: 'integer', minimum: 0 },
    },
  },
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetails) } } },
};

/**
 * The OpenAPI document of an HTTP app, as /docs-json serves it (configureHttpApp) and as the
 * contract test reads it (test/static/openapi-contract.spec.ts).
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('CodeCraft API')
      .setDescription(
        'Jobs, projects, files, images and notifications on event-driven AWS. Errors are RFC 9457 problem+json (the ProblemDetails schema).',
      )
      .setVersion('0.1.0')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'Cognito access or ID token (npm run token)',
      })
      .build(),
    { extraModels: [ProblemDetails] },
  );
  // The rate limit is a global guard, not a decorator: declare its answer on every operation here.
  for (const item of Object.values<PathItemObject>(document.paths)) {
    for (const method of METHODS) {
      const responses = item[method]?.responses;
      if (responses && !('429' in responses)) responses['429'] = TOO_MANY_REQUESTS;
    }
  }
  return document;
}
