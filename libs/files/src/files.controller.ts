import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiFoundResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, type Principal } from '#libs/platform';
import { FilePageResponse, FileResponse } from './dto/file.response.dto.js';
import { ListFilesQueryDto } from './dto/list-files.query.dto.js';
import { CreateUploadUrlDto, UploadUrlResponse } from './dto/upload-url.dto.js';
import { FilesService } from './files.service.js';

// A malformed id names no file: 404, like an unknown one.
const fileId = new ParseUUIDPipe({ version: '4', errorHttpStatusCode: HttpStatus.NOT_FOUND });

@ApiTags('files')
@ApiBearerAuth()
@ApiNotFoundResponse({
  description: 'No such project or file, or not yours (existence is not revealed)',
})
@Controller()
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Post('projects/:projectId/files')
  @ApiOperation({
    summary: 'Upload a file (multipart/form-data, streamed to S3)',
    description:
      'One file part (field `file`). Streamed to S3, never held whole in memory; its type is sniffed from the first bytes (the part Content-Type, if given, must agree), its size limited by FILES_MAX_BYTES, its SHA-256 computed on the way. Through API Gateway + Lambda bodies are capped at 6-10 MB: use upload-url for larger files.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' } },
    },
  })
  @ApiCreatedResponse({ type: FileResponse, description: 'Stored and AVAILABLE' })
  @ApiBadRequestResponse({ description: 'Malformed form, no file part, or an empty file' })
  @ApiPayloadTooLargeResponse({ description: 'Over FILES_MAX_BYTES (nothing is kept)' })
  @ApiUnsupportedMediaTypeResponse({
    description: 'Not multipart, a type outside FILES_ALLOWED_TYPES, or declared ≠ sniffed type',
  })
  async upload(
    @CurrentUser() actor: Principal,
    @Param('projectId') projectId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<FileResponse> {
    const file = await this.files.uploadMultipart(actor, projectId, req);
    res.status(201).setHeader('Location', `/files/${file.fileID}`);
    return FileResponse.of(file);
  }

  @Post('projects/:projectId/files/upload-url')
  @ApiOperation({
    summary: 'Presigned upload for a large file, straight to S3',
    description:
      'Creates a PENDING file and a short-lived presigned PUT whose signature covers Content-Type and the exact Content-Length. PUT the bytes to `upload.url` with `upload.headers`, then POST `completeUrl`: the file becomes AVAILABLE only once its bytes are in S3 and checked.',
  })
  @ApiCreatedResponse({ type: UploadUrlResponse })
  @ApiPayloadTooLargeResponse({ description: 'size over FILES_PRESIGNED_MAX_BYTES' })
  @ApiUnsupportedMediaTypeResponse({ description: 'contentType outside FILES_ALLOWED_TYPES' })
  async createUploadUrl(
    @CurrentUser() actor: Principal,
    @Param('projectId') projectId: string,
    @Body() body: CreateUploadUrlDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UploadUrlResponse> {
    const ticket = await this.files.createUploadUrl(actor, projectId, body);
    res.setHeader('Location', `/files/${ticket.file.fileID}`);
    return {
      file: FileResponse.of(ticket.file),
      upload: { ...ticket.upload, headers: { ...ticket.upload.headers } },
      completeUrl: `/files/${ticket.file.fileID}/complete`,
    };
  }

  @Get('projects/:projectId/files')
  @ApiOperation({ summary: "A project's files, newest first (cursor pagination)" })
  @ApiOkResponse({ type: FilePageResponse })
  @ApiBadRequestResponse({ description: 'Invalid query or cursor' })
  async list(
    @CurrentUser() actor: Principal,
    @Param('projectId') projectId: string,
    @Query() query: ListFilesQueryDto,
  ): Promise<FilePageResponse> {
    const page = await this.files.list(actor, projectId, {
      status: query.status,
      limit: query.limit,
      cursor: query.cursor,
    });
    return FilePageResponse.of(page);
  }

  @Get('files/:id')
  @ApiOperation({ summary: "A file's metadata" })
  @ApiOkResponse({ type: FileResponse })
  async get(
    @CurrentUser() actor: Principal,
    @Param('id', fileId) id: string,
  ): Promise<FileResponse> {
    return FileResponse.of(await this.files.get(actor, id));
  }

  @Get('files/:id/download')
  @ApiOperation({
    summary: 'Download: redirect to a short-lived presigned GET',
    description:
      'The bucket is private; the presigned URL (FILES_DOWNLOAD_URL_EXPIRY_SECONDS) makes S3 answer with the original name in Content-Disposition (RFC 6266, UTF-8 with an ASCII fallback).',
  })
  @ApiFoundResponse({ description: 'Location: the presigned URL' })
  @ApiConflictResponse({ description: 'The file is still PENDING' })
  async download(
    @CurrentUser() actor: Principal,
    @Param('id', fileId) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const url = await this.files.downloadUrl(actor, id);
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, url);
  }

  @Post('files/:id/complete')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Finish a presigned upload: check the bytes, make the file AVAILABLE',
    description:
      'The object must exist with the announced size; it is read once (SHA-256, type sniffing). A type violation deletes the object and the file (415). Calling it again on an AVAILABLE file returns it.',
  })
  @ApiOkResponse({ type: FileResponse })
  @ApiConflictResponse({ description: 'Nothing uploaded yet' })
  @ApiUnprocessableEntityResponse({
    description: 'Size differs from the announced one (file removed)',
  })
  @ApiUnsupportedMediaTypeResponse({ description: 'Type not allowed or ≠ declared (file removed)' })
  async complete(
    @CurrentUser() actor: Principal,
    @Param('id', fileId) id: string,
  ): Promise<FileResponse> {
    return FileResponse.of(await this.files.complete(actor, id));
  }

  @Delete('files/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a file: its object and its metadata' })
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(@CurrentUser() actor: Principal, @Param('id', fileId) id: string): Promise<void> {
    await this.files.remove(actor, id);
  }
}
