import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { FileResponse } from './file.response.dto.js';

/** The original UploadFile body. */
export class CompatUploadDto {
  @ApiProperty({
    description:
      'The file, base64 (RFC 4648 standard alphabet; line breaks allowed). Small files only: see the route description',
    example: 'JVBERi0xLjQK...',
  })
  @IsString()
  file_content!: string;

  @ApiProperty({ example: 'guide.pdf', description: 'Display name; the object key is server-made' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  file_name!: string;

  @ApiProperty({
    example: '0b7c6a3e-4d39-4f51-9d5f-2f4b8a1c9e10',
    description:
      'Id of a CodeCraft project you own (or any, for administrators); numbers are accepted and compared as text',
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value))
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  project_id!: string;

  @ApiPropertyOptional({
    example: 'pdf',
    description: 'Declared type (extension or MIME type); must agree with the bytes',
  })
  @IsOptional()
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
