import { ApiPropertyOptional } from '@nestjs/swagger';
import { CursorPageQueryDto } from '#libs/platform';
import { IsIn, IsOptional } from 'class-validator';
import { FILE_STATUSES, type FileStatus } from '../file.js';

export class ListFilesQueryDto extends CursorPageQueryDto {
  @ApiPropertyOptional({
    enum: FILE_STATUSES,
    default: 'AVAILABLE',
    description: 'AVAILABLE files by default; PENDING lists presigned uploads not completed yet',
  })
  @IsOptional()
  @IsIn(FILE_STATUSES)
  status: FileStatus = 'AVAILABLE';
}
