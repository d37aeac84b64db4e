import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { foldDisplayText } from '#libs/platform';
import { PROJECT_DESCRIPTION_MAX_LENGTH, PROJECT_NAME_MAX_LENGTH } from '../project.js';

/** Names that look the same are the same: invisible characters dropped, spaces folded. */
const folded = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' ? foldDisplayText(value) : value,
);

/** Required name: folded (see foldDisplayText), 1-100 characters, no control characters. */
export const ProjectName = (required: boolean) =>
  applyDecorators(
    (required ? ApiProperty : ApiPropertyOptional)({
      description:
        'Trimmed, invisible characters removed and spaces folded; unique (case-insensitively) among your projects',
      minLength: 1,
      maxLength: PROJECT_NAME_MAX_LENGTH,
      example: 'Open Atlas',
    }),
    ...(required ? [] : [IsOptional()]),
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
    IsOptional(),
    IsString(),
    MaxLength(PROJECT_DESCRIPTION_MAX_LENGTH),
  );
