import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { FILE_STATUSES, type FileStatus } from '../file.js';

export class ListFilesQueryDto {
  @ApiPropertyOptional({
    enum: FILE_STATUSES,
    default: 'AVAILABLE',
    description: 'AVAILABLE files by default; PENDING lists presigned uploads not completed yet',
  })
  @IsOptional()
  @IsIn(FILE_STATUSES)
  status: FileStatus = 'AVAILABLE';

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 20;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}
