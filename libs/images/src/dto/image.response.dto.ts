import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IMAGE_STATUSES, type ImageRecord, type ImageStatus, type ImageVariant } from '../image.js';

export class ImageVariantResponse {
  @ApiProperty({
    example: 'thumb',
    description: '`resized` (128x128 cover) or a configured variant',
  })
  name!: string;

  @ApiProperty({ enum: ['jpeg', 'png', 'webp', 'avif'] })
  format!: string;

  @ApiProperty({ example: 'image/webp' })
  contentType!: string;

  @ApiProperty({ example: 'images/variants/{id}/thumb.webp' })
  key!: string;

  @ApiProperty()
  width!: number;

  @ApiProperty()
  height!: number;

  @ApiProperty({ description: 'Stored size in bytes' })
  bytes!: number;

  @ApiProperty({ description: 'Presigned GET (IMAGES_URL_EXPIRY_SECONDS)' })
  url!: string;
}

export class ImageResponse {
  @ApiProperty({ description: 'The ImageID' })
  id!: string;

  @ApiProperty({ enum: IMAGE_STATUSES })
  status!: ImageStatus;

  @ApiProperty({ description: 'Display name (cleaned client name); never a path' })
  fileName!: string;

  @ApiProperty({ example: 'image/jpeg', description: 'Sniffed from the bytes' })
  contentType!: string;

  @ApiProperty({ description: 'The S3 bucket (the original `Bucket`)' })
  bucket!: string;

  @ApiProperty({ example: 'images/originals/{id}/photo.jpg' })
  originalKey!: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'resized-images/originals/{id}/photo.jpg',
    description: 'The 128x128 thumbnail (the original `ResizedImageKey`); null until READY',
  })
  resizedImageKey!: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Bytes of the original' })
  size!: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'Upright width (EXIF applied)',
  })
  width!: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true })
  height!: number | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'jpeg' })
  format!: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Why it is FAILED' })
  failureReason!: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Presigned GET of the original',
  })
  originalUrl!: string | null;

  @ApiProperty({ type: [ImageVariantResponse] })
  variants!: ImageVariantResponse[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  processedAt!: string | null;

  static of(image: ImageRecord, urls: ReadonlyMap<string, string>): ImageResponse {
    const variant = (v: ImageVariant): ImageVariantResponse => ({
      name: v.Name,
      format: v.Format,
      contentType: v.ContentType,
      key: v.Key,
      width: v.Width,
      height: v.Height,
      bytes: v.Bytes,
      url: urls.get(`${v.Name}.${v.Format}`) ?? '',
    });
    return {
      id: image.ImageID,
      status: image.Status,
      fileName: image.FileName,
      contentType: image.ContentType,
      bucket: image.Bucket,
      originalKey: image.OriginalKey,
      resizedImageKey: image.ResizedImageKey ?? null,
      size: image.Size ?? null,
      width: image.Width ?? null,
      height: image.Height ?? null,
      format: image.Format ?? null,
      failureReason: image.FailureReason ?? null,
      originalUrl: urls.get('original') ?? null,
      variants: (image.Variants ?? []).map(variant),
      createdAt: image.CreatedAt,
      updatedAt: image.UpdatedAt,
      processedAt: image.ProcessedAt ?? null,
    };
  }
}

export class ImagePageResponse {
  @ApiProperty({ type: [ImageResponse] })
  items!: ImageResponse[];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor!: string | null;
}
