import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiAuthenticated, ApiProblem, CurrentUser, type Principal } from '#libs/platform';
import { CompatUploadDto, CompatUploadResponse } from './dto/compat-upload.dto.js';
import { FileResponse } from './dto/file.response.dto.js';
import { FilesService } from './files.service.js';

/** The original `UploadFile` Lambda's route, for clients written against it. */
@ApiTags('files')
@ApiAuthenticated()
@Controller('upload')
export class CompatUploadController {
  constructor(private readonly files: FilesService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Upload a small file as base64 JSON (the original UploadFile API)',
    description:
      'Base64 JSON only suits small files: API Gateway caps request bodies at 10 MB and Lambda at 6 MB (base64 adds a third), so the decoded size is limited by FILES_BASE64_MAX_BYTES (4 MiB by default). Use POST /projects/{projectId}/files (multipart) or upload-url (presigned, straight to S3) for anything larger. `project_id` must be a project you may access.',
  })
  @ApiOkResponse({ type: CompatUploadResponse })
  @ApiProblem(400, 'Invalid body, file_content not valid base64, or empty')
  @ApiProblem(404, 'No such project, or not yours')
  @ApiProblem(
    413,
    'Decoded content over FILES_BASE64_MAX_BYTES, or the body over HTTP_BODY_LIMIT_BYTES',
  )
  @ApiProblem(415, 'Type not allowed, or file_type ≠ the bytes')
  async upload(
    @CurrentUser() actor: Principal,
    @Body() body: CompatUploadDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CompatUploadResponse> {
    const file = await this.files.uploadBase64(actor, {
      projectId: body.project_id,
      fileName: body.file_name,
      fileType: body.file_type,
      content: body.file_content,
    });
    res.setHeader('Location', `/files/${file.fileID}`);
    return {
      message: 'File uploaded successfully',
      fileID: file.fileID,
      s3Key: file.s3Key,
      file: FileResponse.of(file),
    };
  }
}
