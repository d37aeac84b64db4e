import { Module } from '@nestjs/common';
import { ProjectsModule } from '#libs/projects';
import { CompatUploadController } from './compat-upload.controller.js';
import { FileMetadataRepository } from './file-metadata.repository.js';
import { FileObjectsRepository } from './file-objects.repository.js';
import { FilesController } from './files.controller.js';
import { FilesService } from './files.service.js';

/** API side: /projects/{id}/files, /files/{id}, and the original POST /upload. */
@Module({
  imports: [ProjectsModule],
  controllers: [FilesController, CompatUploadController],
  providers: [FileMetadataRepository, FileObjectsRepository, FilesService],
  exports: [FilesService],
})
export class FilesModule {}
