/**
 * The OpenAPI document against the code it describes, so that what the contract fuzzer
 * (npm run test:fuzz) found cannot come back: the document is built as /docs-json builds it
 * (createOpenApiDocument over the real API app), and each operation is compared with its handler's
 * Nest metadata:
 *   - an operation behind the global AuthGuard (not @Public) declares bearer security and 401;
 *   - an operation with a request body or parameters declares 400;
 *   - a path parameter validated by ParseUUIDPipe is documented `format: uuid` (with the v4
 *     pattern), and one documented so is validated; an `id`/`...Id` path parameter is both;
 *   - every error response is application/problem+json with the ProblemDetails schema;
 *   - every operation declares the rate limit's 429 with Retry-After.
 * No emulator: the app is created (not initialised) over a throw-away SQLite file; nothing calls AWS.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ParseUUIDPipe } from '@nestjs/common';
import { PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type {
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  PathItemObject,
  ResponseObject,
} from '@nestjs/swagger';
import { AppConfig } from '#libs/config';
import { createOpenApiDocument, IS_PUBLIC, UUID_V4_PATTERN } from '#libs/platform';
import { createApiApp } from '../../apps/api/src/api-app.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

interface Operation {
  readonly label: string;
  readonly operationId: string;
  readonly path: string;
  readonly op: OperationObject;
}

/** What the Nest handler of an operation says about it. */
interface Handler {
  readonly isPublic: boolean;
  /** Path parameters passed through a ParseUUIDPipe. */
  readonly uuidParams: ReadonlySet<string>;
}

function operations(document: OpenAPIObject): Operation[] {
  return Object.entries<PathItemObject>(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const op = item[method];
      return op
        ? [
            {
              label: `${method.toUpperCase()} ${path}`,
              operationId: op.operationId ?? '',
              path,
              op,
            },
          ]
        : [];
    }),
  );
}

/** Route argument metadata: `{ "<type>:<index>": { data: 'id', pipes: [...] } }`. */
type RouteArgs = Record<string, { data?: unknown; pipes?: unknown[] }>;

/** Nest's default operationId is `<Controller>_<method>`: index the handlers the same way. */
function handlers(app: NestExpressApplication): Map<string, Handler> {
  const found = new Map<string, Handler>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const method = prototype[name];
        if (typeof method !== 'function' || !Reflect.hasMetadata(PATH_METADATA, method)) continue;
        const isPublic = Boolean(
          Reflect.getMetadata(IS_PUBLIC, method) ?? Reflect.getMetadata(IS_PUBLIC, controller),
        );
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ??
          {}) as RouteArgs;
        const uuidParams = new Set(
          Object.values(args)
            .filter((arg) => (arg.pipes ?? []).some((pipe) => pipe instanceof ParseUUIDPipe))
            .map((arg) => String(arg.data)),
        );
        found.set(`${controller.name}_${name}`, { isPublic, uuidParams });
      }
    }
  }
  return found;
}

const isProblem = (response: ResponseObject) =>
  JSON.stringify(response.content) ===
  JSON.stringify({
    'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } },
  });

describe('the OpenAPI document matches the API', () => {
  let scratch: string;
  let app: NestExpressApplication;
  let document: OpenAPIObject;
  let ops: Operation[];
  let byOperationId: Map<string, Handler>;

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'codecraft-openapi-'));
    const config = AppConfig.fromEnv({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      RESOURCE_PREFIX: 'ccopenapi',
      // Never called: the app is only created, not initialised.
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      SQLITE_PATH: join(scratch, 'openapi.sqlite'),
    });
    app = await createApiApp(config);
    document = createOpenApiDocument(app);
    ops = operations(document);
    byOperationId = handlers(app);
  });

  after(async () => {
    await app.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const handlerOf = (operation: Operation): Handler => {
    const handler = byOperationId.get(operation.operationId);
    assert.ok(handler, `${operation.label}: no handler for operationId ${operation.operationId}`);
    return handler;
  };

  it('describes every route, each with its handler', () => {
    assert.ok(ops.length >= 39, `only ${ops.length} operations`);
    for (const operation of ops) handlerOf(operation);
  });

  it('declares the ProblemDetails schema for application/problem+json', () => {
    const schema = document.components?.schemas?.ProblemDetails as
      { required?: string[]; properties?: Record<string, unknown> } | undefined;
    assert.ok(schema, 'components.schemas.ProblemDetails');
    assert.deepEqual([...(schema.required ?? [])].sort(), ['code', 'status', 'title', 'type']);
  });

  it('declares 429 problem+json with Retry-After on every operation (the global rate limit)', () => {
    const missing = ops.filter((operation) => {
      const response = operation.op.responses['429'] as ResponseObject | undefined;
      return !response || !isProblem(response) || !response.headers?.['Retry-After'];
    });
    assert.deepEqual(
      missing.map((o) => o.label),
      [],
    );
  });

  it('declares bearer security and 401 on every operation behind the auth guard, none on public ones', () => {
    const problems = ops.flatMap((operation) => {
      const { isPublic } = handlerOf(operation);
      const secured = (operation.op.security ?? []).some((s) => 'bearer' in s);
      const has401 = '401' in operation.op.responses;
      if (isPublic) return secured || has401 ? [`${operation.label}: public, yet secured`] : [];
      return secured && has401 ? [] : [`${operation.label}: no ${secured ? '401' : 'security'}`];
    });
    assert.deepEqual(problems, []);
  });

  it('declares 400 on every operation with a request body or parameters', () => {
    const problems = ops
      .filter((o) => o.op.requestBody !== undefined || (o.op.parameters ?? []).length > 0)
      .filter((o) => !('400' in o.op.responses))
      .map((o) => `${o.label}: no 400`);
    assert.deepEqual(problems, []);
  });

  it('documents UUID path parameters as format: uuid, exactly those the server validates', () => {
    const problems = ops.flatMap((operation) => {
      const { uuidParams } = handlerOf(operation);
      const pathParams = (operation.op.parameters ?? []).filter(
        (p): p is ParameterObject => 'in' in p && p.in === 'path',
      );
      return pathParams.flatMap((param) => {
        const schema = (param.schema ?? {}) as { format?: string; pattern?: string };
        const documented = schema.format === 'uuid' && schema.pattern === UUID_V4_PATTERN;
        const validated = uuidParams.has(param.name);
        const idLike = param.name === 'id' || param.name.endsWith('Id');
        if (documented && validated) return [];
        if (documented) return [`${operation.label} {${param.name}}: uuid, not validated`];
        if (validated) return [`${operation.label} {${param.name}}: validated, not format: uuid`];
        return idLike
          ? [`${operation.label} {${param.name}}: an id, neither uuid nor validated`]
          : [];
      });
    });
    assert.deepEqual(problems, []);
  });

  it('answers every error as application/problem+json with the ProblemDetails schema', () => {
    const problems = ops.flatMap((operation) =>
      Object.entries(operation.op.responses)
        .filter(([status]) => Number(status) >= 400)
        .filter(([, response]) => !isProblem(response as ResponseObject))
        .map(([status]) => `${operation.label} ${status}: not problem+json`),
    );
    assert.deepEqual(problems, []);
  });

  it('declares 404 where an id is looked up', () => {
    const problems = ops
      .filter((o) => handlerOf(o).uuidParams.size > 0 && !('404' in o.op.responses))
      .map((o) => `${o.label}: no 404`);
    assert.deepEqual(problems, []);
  });
});
