import { ApiSchema, type ApiSchemaOptions } from '@nestjs/swagger';
import { ValidateIf } from 'class-validator';

/**
 * A request-body DTO: the validation pipes refuse properties it does not declare
 * (`forbidNonWhitelisted`), so its schema says `additionalProperties: false`. Per class: a subclass
 * carries its own.
 */
export function ClosedSchema(): ClassDecorator {
  // @nestjs/swagger copies every ApiSchema option but `name` into the schema; its type names only
  // `name` and `description`.
  const options: ApiSchemaOptions & { additionalProperties: false } = {
    additionalProperties: false,
  };
  return ApiSchema(options);
}

/**
 * An optional body field: it may be left out, but `null` is not a value (the schema's type does
 * not allow it). class-validator's IsOptional would let `null` through every other rule.
 */
export function OptionalField(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
