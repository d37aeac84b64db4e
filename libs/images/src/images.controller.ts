import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiFoundResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CreateUploadUrlDto } from '#libs/files';
import {
  ApiAuthenticated,
  ApiProblem,
  ApiUuidParam,
  CurrentUser,
  CursorPageQueryDto,
  uuidV4OrNotFound,
  type Principal,
  NoRequestDeadline,
} from '#libs/platform';
import { Base64ImageDto, ImageUploadUrlResponse } from './dto/image-upload.dto.js';
import { ImagePageResponse, ImageResponse } from './dto/image.response.dto.js';
import { VariantQueryDto } from './dto/variant.query.dto.js';
import type { ImageRecord } from './image.js';
import { ImagesService } from './images.service.js';

// A malformed id names no image: 404, like an unknown one.
const imageId = uuidV4OrNotFound();
const NOT_FOUND = 'No such image, or not yours (existence is not revealed)';
/** The JSON form of POST /images, checked with the global pipe's rules. */
const jsonBody = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
});

@ApiTags('images')
@ApiAuthenticated()
@Controller('images')
export class ImagesController {
  constructor(private readonly images: ImagesService) {}

  @Post()
  @ApiOperation({
    summary: 'Upload an image (multipart/form-data streamed to S3, or small base64 JSON)',
    description:
      'multipart: one file part `file`, streamed, up to IMAGES_MAX_BYTES. JSON `{fileName, content}`: base64, up to FILES_BASE64_MAX_BYTES decoded (API Gateway and Lambda cap bodies at 10 / 6 MB: use upload-url for large images). The bytes are sniffed: JPEG, PNG, WebP, GIF, AVIF, TIFF only. The image is PENDING; the S3 upload event makes the worker resize it (READY or FAILED).',
    // One schema per media type (ApiBody would give both media types the same one).
    requestBody: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['file'],
            properties: { file: { type: 'string', format: 'binary', minLength: 1 } },
          },
        },
        'application/json': { schema: { $ref: getSchemaPath(Base64ImageDto) } },
      },
    },
  })
  @ApiExtraModels(Base64ImageDto)
  @ApiCreatedResponse({ type: ImageResponse, description: 'Stored, PENDING processing' })
  @ApiProblem(400, 'Malformed form or JSON, invalid base64, empty file')
  @ApiProblem(413, 'Over the size limit (nothing is kept)')
  @ApiProblem(415, 'Not an image (by its bytes), ≠ declared, or neither multipart nor JSON')
  @NoRequestDeadline(
    'Streams a multipart body of up to IMAGES_MAX_BYTES to S3: it lasts as long as the client sends',
  )
  async upload(
    @CurrentUser() actor: Principal,
    @Req() req: Request,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ImageResponse> {
    let image: ImageRecord;
    if (req.is('application/json')) {
      const input = (await jsonBody.transform(body, {
        type: 'body',
        metatype: Base64ImageDto,
      })) as Base64ImageDto;
      image = await this.images.uploadBase64(actor, input);
    } else {
      image = await this.images.uploadMultipart(actor, req);
    }
    res.status(201).setHeader('Location', `/images/${image.ImageID}`);
    return ImageResponse.of(image, new Map());
  }

  @Post('upload-url')
  @ApiOperation({
    summary: 'Presigned upload for a large image, straight to S3',
    description:
      'Creates a PENDING image and a short-lived presigned PUT (signature covers Content-Type and the exact Content-Length). PUT the bytes to `upload.url` with `upload.headers`; nothing else to call: the S3 event starts the processing, which checks the bytes (a non-image ends FAILED).',
  })
  @ApiCreatedResponse({ type: ImageUploadUrlResponse })
  @ApiProblem(400, 'Malformed JSON or an invalid body')
  @ApiProblem(413, 'size over IMAGES_MAX_BYTES, or the body over HTTP_BODY_LIMIT_BYTES')
  @ApiProblem(415, 'contentType is not a supported image type')
  async createUploadUrl(
    @CurrentUser() actor: Principal,
    @Body() body: CreateUploadUrlDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ImageUploadUrlResponse> {
    const ticket = await this.images.createUploadUrl(actor, body);
    res.setHeader('Location', `/images/${ticket.image.ImageID}`);
    return {
      image: ImageResponse.of(ticket.image, new Map()),
      upload: { ...ticket.upload, headers: { ...ticket.upload.headers } },
    };
  }

  @Get()
  @ApiOperation({ summary: 'Your images, newest first (cursor pagination)' })
  @ApiOkResponse({ type: ImagePageResponse })
  @ApiProblem(400, 'Invalid query or cursor')
  async list(
    @CurrentUser() actor: Principal,
    @Query() query: CursorPageQueryDto,
  ): Promise<ImagePageResponse> {
    const page = await this.images.list(actor, query.limit, query.cursor);
    return {
      items: await Promise.all(page.items.map((image) => this.respond(image))),
      nextCursor: page.nextCursor ?? null,
    };
  }

  @Get(':id')
  @ApiOperation({
    summary: "An image's metadata, with short-lived presigned URLs for each rendition",
  })
  @ApiUuidParam('id')
  @ApiOkResponse({ type: ImageResponse })
  @ApiProblem(400)
  @ApiProblem(404, NOT_FOUND)
  async get(
    @CurrentUser() actor: Principal,
    @Param('id', imageId) id: string,
  ): Promise<ImageResponse> {
    return this.respond(await this.images.get(actor, id));
  }

  @Get(':id/:variant')
  @ApiOperation({
    summary: 'Redirect to a rendition: `original`, `resized` (128x128) or a variant name',
  })
  @ApiUuidParam('id')
  @ApiFoundResponse({ description: 'Location: a presigned GET (IMAGES_URL_EXPIRY_SECONDS)' })
  @ApiProblem(400, 'Invalid query')
  @ApiProblem(404, `${NOT_FOUND}; or no such variant`)
  @ApiProblem(409, 'The image is not READY (PENDING, PROCESSING or FAILED)')
  async variant(
    @CurrentUser() actor: Principal,
    @Param('id', imageId) id: string,
    @Param('variant') variant: string,
    @Query() query: VariantQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const url = await this.images.variantUrl(actor, id, variant, query.format);
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, url);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an image: original, renditions and metadata' })
  @ApiUuidParam('id')
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblem(400)
  @ApiProblem(404, NOT_FOUND)
  async remove(@CurrentUser() actor: Principal, @Param('id', imageId) id: string): Promise<void> {
    await this.images.remove(actor, id);
  }

  private async respond(image: ImageRecord): Promise<ImageResponse> {
    return ImageResponse.of(image, await this.images.urls(image));
  }
}
