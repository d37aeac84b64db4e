import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** `?limit=&cursor=` for lists over DynamoDB: extend it with a resource's own filters. */
export class CursorPageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 20;

  @ApiPropertyOptional({
    description: 'nextCursor of the previous page (opaque; any other value answers 400)',
    pattern: '^[\\w-]{1,2048}$',
  })
  @IsOptional()
  @Matches(/^[\w-]{1,2048}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}
