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
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiFoundResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  ApiAuthenticated,
  ApiProblem,
  ApiUuidParam,
  CurrentUser,
  uuidV4OrNotFound,
  type Principal,
  NoRequestDeadline,
} from '#libs/platform';
import { FilePageResponse, FileResponse } from './dto/file.response.dto.js';
import { ListFilesQueryDto } from './dto/list-files.query.dto.js';
import { CreateUploadUrlDto, UploadUrlResponse } from './dto/upload-url.dto.js';
import { FilesService } from './files.service.js';

// A malformed id names no project or file: 404, like an unknown one.
const uuidOr404 = uuidV4OrNotFound();

@ApiTags('files')
@ApiAuthenticated()
@ApiProblem(404, 'No such project or file, or not yours (existence is not revealed)')
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
      properties: { file: { type: 'string', format: 'binary', minLength: 1 } },
    },
  })
  @ApiCreatedResponse({ type: FileResponse, description: 'Stored and AVAILABLE' })
  @ApiUuidParam('projectId')
  @ApiProblem(400, 'Malformed form, no file part, or an empty file')
  @ApiProblem(413, 'Over FILES_MAX_BYTES (nothing is kept)')
  @ApiProblem(415, 'Not multipart, a type outside FILES_ALLOWED_TYPES, or declared ≠ sniffed type')
  @NoRequestDeadline(
    'Streams a multipart body of up to FILES_MAX_BYTES to S3: it lasts as long as the client sends',
  )
  async upload(
    @CurrentUser() actor: Principal,
    @Param('projectId', uuidOr404) projectId: string,
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
  @ApiUuidParam('projectId')
  @ApiCreatedResponse({ type: UploadUrlResponse })
  @ApiProblem(400, 'Malformed JSON or an invalid body')
  @ApiProblem(413, 'size over FILES_PRESIGNED_MAX_BYTES, or the body over HTTP_BODY_LIMIT_BYTES')
  @ApiProblem(415, 'contentType outside FILES_ALLOWED_TYPES')
  async createUploadUrl(
    @CurrentUser() actor: Principal,
    @Param('projectId', uuidOr404) projectId: string,
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
  @ApiUuidParam('projectId')
  @ApiOkResponse({ type: FilePageResponse })
  @ApiProblem(400, 'Invalid query or cursor')
  async list(
    @CurrentUser() actor: Principal,
    @Param('projectId', uuidOr404) projectId: string,
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
  @ApiUuidParam('id')
  @ApiOkResponse({ type: FileResponse })
  @ApiProblem(400)
  async get(
    @CurrentUser() actor: Principal,
    @Param('id', uuidOr404) id: string,
  ): Promise<FileResponse> {
    return FileResponse.of(await this.files.get(actor, id));
  }

  @Get('files/:id/download')
  @ApiOperation({
    summary: 'Download: redirect to a short-lived presigned GET',
    description:
      'The bucket is private; the presigned URL (FILES_DOWNLOAD_URL_EXPIRY_SECONDS) makes S3 answer with the original name in Content-Disposition (RFC 6266, UTF-8 with an ASCII fallback).',
  })
  @ApiUuidParam('id')
  @ApiFoundResponse({ description: 'Location: the presigned URL' })
  @ApiProblem(400)
  @ApiProblem(409, 'The file is still PENDING')
  async download(
    @CurrentUser() actor: Principal,
    @Param('id', uuidOr404) id: string,
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
  @ApiUuidParam('id')
  @ApiOkResponse({ type: FileResponse })
  @ApiProblem(400)
  @ApiProblem(409, 'Nothing uploaded yet')
  @ApiProblem(415, 'Type not allowed or ≠ declared (file removed)')
  @ApiProblem(422, 'Size differs from the announced one (file removed)')
  @NoRequestDeadline(
    'Reads the whole object once (up to FILES_PRESIGNED_MAX_BYTES) to hash and sniff it',
  )
  async complete(
    @CurrentUser() actor: Principal,
    @Param('id', uuidOr404) id: string,
  ): Promise<FileResponse> {
    return FileResponse.of(await this.files.complete(actor, id));
  }

  @Delete('files/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a file: its object and its metadata' })
  @ApiUuidParam('id')
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblem(400)
  async remove(@CurrentUser() actor: Principal, @Param('id', uuidOr404) id: string): Promise<void> {
    await this.files.remove(actor, id);
  }
}
