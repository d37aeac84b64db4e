import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { ClosedSchema, OptionalField } from '#libs/platform';
import { FileResponse } from './file.response.dto.js';

const B64 = '[A-Za-z0-9+/]\\s*';
/**
 * What decodeBase64Strict takes, as a JSON Schema pattern: standard base64 with at least one
 * character, whitespace anywhere, padding optional, the last character canonical (no stray bits).
 */
export const BASE64_PATTERN =
  `^\\s*(?=[A-Za-z0-9+/])(?:${B64.repeat(4)})*` +
  `(?:${B64}[AQgw]\\s*(?:=\\s*=\\s*)?|${B64.repeat(2)}[AEIMQUYcgkosw048]\\s*(?:=\\s*)?)?$`;

/** The original UploadFile body. */
@ClosedSchema()
export class CompatUploadDto {
  @ApiProperty({
    description:
      'The file, base64 (RFC 4648 standard alphabet; line breaks allowed). Small files only: see the route description',
    example: 'JVBERi0xLjQK',
    pattern: BASE64_PATTERN,
  })
  @IsString()
  file_content!: string;

  @ApiProperty({
    example: 'guide.pdf',
    description: 'Display name; the object key is server-made',
    minLength: 1,
    maxLength: 1024,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  file_name!: string;

  @ApiProperty({
    example: '0b7c6a3e-4d39-4f51-9d5f-2f4b8a1c9e10',
    description:
      'Id of a CodeCraft project you own (or any, for administrators); numbers are accepted and compared as text',
    oneOf: [{ type: 'string', minLength: 1, maxLength: 64 }, { type: 'number' }],
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value))
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  project_id!: string;

  @ApiPropertyOptional({
    example: 'pdf',
    description: 'Declared type (extension or MIME type); must agree with the bytes',
    maxLength: 255,
  })
  @OptionalField()
  @IsString()
  @MaxLength(255)
  file_type?: string;
}

/** What POST /upload answers: the original message plus the new file. */
export class CompatUploadResponse {
  @ApiProperty({ example: 'File uploaded successfully' })
  message!: string;

  @ApiProperty({ format: 'uuid', description: 'The new FileMetadata item key' })
  fileID!: string;

  @ApiProperty({ example: '{projectId}/{fileId}/guide.pdf' })
  s3Key!: string;

  @ApiProperty({ type: FileResponse })
  file!: FileResponse;
}
