import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { BASE64_PATTERN, PresignedUploadResponse } from '#libs/files';
import { ClosedSchema } from '#libs/platform';
import { ImageResponse } from './image.response.dto.js';

/** POST /images as JSON: small images only (FILES_BASE64_MAX_BYTES decoded). */
@ClosedSchema()
export class Base64ImageDto {
  @ApiProperty({ example: 'photo.jpg', minLength: 1, maxLength: 1024 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  fileName!: string;

  @ApiProperty({
    description: 'The image, base64 (RFC 4648 standard alphabet; line breaks allowed)',
    pattern: BASE64_PATTERN,
  })
  @IsString()
  content!: string;
}

export class ImageUploadUrlResponse {
  @ApiProperty({ type: ImageResponse, description: 'The PENDING image' })
  image!: ImageResponse;

  @ApiProperty({ type: PresignedUploadResponse })
  upload!: PresignedUploadResponse;
}
