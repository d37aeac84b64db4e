import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ProblemDetails } from './api-problems.js';

/**
 * The OpenAPI document of an HTTP app, as /docs-json serves it (configureHttpApp) and as the
 * contract test reads it (test/static/openapi-contract.spec.ts).
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
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
}
