import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { foldDisplayText, OptionalField } from '#libs/platform';
import { PROJECT_DESCRIPTION_MAX_LENGTH, PROJECT_NAME_MAX_LENGTH } from '../project.js';

/**
 * Names that look the same are the same: invisible characters dropped, spaces folded. A name longer
 * than the limit as sent is refused as sent (not folded first), so the limit is the one documented.
 */
const folded = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' && value.length <= PROJECT_NAME_MAX_LENGTH
    ? foldDisplayText(value)
    : value,
);

/** Control characters (Unicode Cc): refused anywhere in a name. */
const CONTROL = '\\u0000-\\u001F\\u007F-\\u009F';
/**
 * What folding removes or trims (Cc, Cf, Zs and white space) in the Basic Multilingual Plane; the
 * spec checks it against Unicode.
 */
export const INVISIBLE =
  '\\u0000-\\u0020\\u007F-\\u00A0\\u00AD\\u0600-\\u0605\\u061C\\u06DD\\u070F\\u0890-\\u0891\\u08E2' +
  '\\u1680\\u180E\\u2000-\\u200F\\u2028-\\u202F\\u205F-\\u2064\\u2066-\\u206F\\u3000\\uFEFF' +
  '\\uFFF9-\\uFFFB';
/** A name's schema pattern: no control character, and something visible once folded. */
export const PROJECT_NAME_PATTERN = `^[^${CONTROL}]*[^${INVISIBLE}][^${CONTROL}]*$`;

/** Required name: folded (see foldDisplayText), 1-100 characters, no control characters. */
export const ProjectName = (required: boolean) =>
  applyDecorators(
    (required ? ApiProperty : ApiPropertyOptional)({
      description:
        'Trimmed, invisible characters removed and spaces folded; unique (case-insensitively) among your projects',
      minLength: 1,
      maxLength: PROJECT_NAME_MAX_LENGTH,
      pattern: PROJECT_NAME_PATTERN,
      example: 'Open Atlas',
    }),
    ...(required ? [] : [OptionalField()]),
    folded,
    IsString(),
    IsNotEmpty({ message: 'name must not be empty' }),
    MaxLength(PROJECT_NAME_MAX_LENGTH),
    Matches(/^[^\p{Cc}]*$/u, { message: 'name must not contain control characters' }),
  );

export const ProjectDescription = () =>
  applyDecorators(
    ApiPropertyOptional({
      maxLength: PROJECT_DESCRIPTION_MAX_LENGTH,
      default: '',
      example: 'A collaborative map of open data sets',
    }),
    OptionalField(),
    IsString(),
    MaxLength(PROJECT_DESCRIPTION_MAX_LENGTH),
  );
