import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FILE_STATUSES, type FilePage, type FileRecord, type FileStatus } from '../file.js';

export class FileResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  projectId!: string;

  @ApiProperty({ description: 'Display name (the client name, cleaned); never a path' })
  fileName!: string;

  @ApiProperty({ enum: FILE_STATUSES })
  status!: FileStatus;

  @ApiProperty({ example: 'application/pdf', description: 'Sniffed from the bytes once AVAILABLE' })
  contentType!: string;

  @ApiProperty({ example: 'pdf', description: 'Short type (the original `fileType`)' })
  fileType!: string;

  @ApiProperty({ description: 'Bytes stored (announced while PENDING)' })
  size!: number;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Hex SHA-256; null while PENDING',
  })
  sha256!: string | null;

  @ApiProperty({
    example: '{projectId}/{fileId}/guide.pdf',
    description: 'Server-generated S3 key',
  })
  s3Key!: string;

  @ApiProperty({ description: 'Cognito sub of the uploader' })
  uploadedBy!: string;

  @ApiProperty({ format: 'date-time' })
  uploadDate!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  availableAt!: string | null;

  static of(file: FileRecord): FileResponse {
    return {
      id: file.fileID,
      projectId: file.projectID,
      fileName: file.fileName,
      status: file.status,
      contentType: file.contentType,
      fileType: file.fileType,
      size: file.size,
      sha256: file.sha256 ?? null,
      s3Key: file.s3Key,
      uploadedBy: file.uploadedBy,
      uploadDate: file.uploadDate,
      updatedAt: file.updatedAt,
      availableAt: file.availableAt ?? null,
    };
  }
}

export class FilePageResponse {
  @ApiProperty({ type: [FileResponse] })
  items!: FileResponse[];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor!: string | null;

  static of(page: FilePage): FilePageResponse {
    return {
      items: page.items.map((f) => FileResponse.of(f)),
      nextCursor: page.nextCursor ?? null,
    };
  }
}
