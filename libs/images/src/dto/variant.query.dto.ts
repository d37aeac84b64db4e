import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class VariantQueryDto {
  @ApiPropertyOptional({
    enum: ['jpeg', 'png', 'webp', 'avif'],
    description: "One of the variant's formats; by default the first stored (WebP)",
  })
  @IsOptional()
  @IsIn(['jpeg', 'png', 'webp', 'avif'])
  format?: string;
}
