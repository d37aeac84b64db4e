import { BadRequestException, ValidationPipe, type Type } from '@nestjs/common';
import { CompatCreateProjectDto, CompatUpdateProjectDto } from './dto/compat-project.dto.js';
import { CreateProjectDto } from './dto/create-project.dto.js';
import { UnknownProjectActionError } from './project.errors.js';

export type ProjectPost =
  | { readonly kind: 'create'; readonly body: CreateProjectDto }
  | { readonly kind: 'compat-create'; readonly body: CompatCreateProjectDto }
  | { readonly kind: 'compat-update'; readonly body: CompatUpdateProjectDto };

/** The same rules as the global pipe (whitelist, forbid unknown properties, transform). */
const pipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  stopAtFirstError: false,
});

async function validated<T extends object>(body: object, type: Type<T>): Promise<T> {
  return (await pipe.transform(body, { type: 'body', metatype: type })) as T;
}

/**
 * POST /projects takes two body shapes: the REST `{name, description}` and the original Lambda's
 * `{"action": "create" | "update", ...}`. The route receives the raw body (the global pipe skips
 * untyped bodies); the `action` property picks the DTO, validated with the global pipe's rules.
 */
export async function parseProjectPost(body: unknown): Promise<ProjectPost> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequestException(['the body must be a JSON object']);
  }
  if (!('action' in body)) return { kind: 'create', body: await validated(body, CreateProjectDto) };
  switch (body.action) {
    case 'create':
      return { kind: 'compat-create', body: await validated(body, CompatCreateProjectDto) };
    case 'update':
      return { kind: 'compat-update', body: await validated(body, CompatUpdateProjectDto) };
    default:
      throw new UnknownProjectActionError(body.action);
  }
}
