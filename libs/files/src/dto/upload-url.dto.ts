import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsString, MaxLength, Min } from 'class-validator';
import { ClosedSchema } from '#libs/platform';
import { FileResponse } from './file.response.dto.js';

@ClosedSchema()
export class CreateUploadUrlDto {
  @ApiProperty({ example: 'dataset.zip', minLength: 1, maxLength: 1024 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  fileName!: string;

  @ApiProperty({
    example: 'application/zip',
    description: 'Must be an allowed type; signed into the URL and checked against the bytes',
    minLength: 1,
    maxLength: 255,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  contentType!: string;

  @ApiProperty({
    example: 104857600,
    type: 'integer',
    minimum: 1,
    description: 'Exact size in bytes; signed into the URL (FILES_PRESIGNED_MAX_BYTES at most)',
  })
  @IsInt()
  @Min(1)
  size!: number;
}

export class PresignedUploadResponse {
  @ApiProperty({ enum: ['PUT'] })
  method!: 'PUT';

  @ApiProperty({ description: 'Presigned S3 URL; send the bytes as the raw request body' })
  url!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Headers covered by the signature: send them exactly (Content-Length = size)',
  })
  headers!: Record<string, string>;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}

export class UploadUrlResponse {
  @ApiProperty({ type: FileResponse, description: 'The PENDING file' })
  file!: FileResponse;

  @ApiProperty({ type: PresignedUploadResponse })
  upload!: PresignedUploadResponse;

  @ApiProperty({ example: '/files/{id}/complete', description: 'POST here once the PUT succeeded' })
  completeUrl!: string;
}
