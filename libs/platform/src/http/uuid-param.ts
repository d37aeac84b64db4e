import { HttpStatus, ParseUUIDPipe } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';

/** A UUID version 4 (RFC 9562), what the API makes its ids of (`randomUUID`); any case. */
export const UUID_V4_PATTERN =
  '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$';

/** Validates a UUID v4 path parameter; anything else answers 400. */
export const uuidV4 = (): ParseUUIDPipe => new ParseUUIDPipe({ version: '4' });

/** Validates a UUID v4 path parameter; anything else names nothing and answers 404, like an unknown id. */
export const uuidV4OrNotFound = (): ParseUUIDPipe =>
  new ParseUUIDPipe({ version: '4', errorHttpStatusCode: HttpStatus.NOT_FOUND });

/** Documents a path parameter validated by `uuidV4()` or `uuidV4OrNotFound()`. */
export function ApiUuidParam(name: string, description?: string): MethodDecorator & ClassDecorator {
  return ApiParam({
    name,
    ...(description === undefined ? {} : { description }),
    schema: { type: 'string', format: 'uuid', pattern: UUID_V4_PATTERN },
  });
}
