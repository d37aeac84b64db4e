import { Module } from '@nestjs/common';
import { AppConfig } from '#libs/config';
import { ImageMetadataRepository } from './image-metadata.repository.js';
import { ImageObjectsRepository } from './image-objects.repository.js';
import { ImageProcessor } from './image-processor.service.js';
import { ImageResizer } from './image-resizer.js';
import { ImagesConsumer } from './images.consumer.js';
import { ImagesController } from './images.controller.js';
import { ImagesService } from './images.service.js';

/** API side: upload (multipart, base64, presigned), read, redirect, delete. */
@Module({
  controllers: [ImagesController],
  providers: [ImageMetadataRepository, ImageObjectsRepository, ImagesService],
  exports: [ImagesService],
})
export class ImagesModule {}

/** Worker side: the images queue (S3 events) → sharp → READY / FAILED. */
@Module({
  providers: [
    ImageMetadataRepository,
    ImageObjectsRepository,
    {
      provide: ImageResizer,
      useFactory: (config: AppConfig) => new ImageResizer(config.images),
      inject: [AppConfig],
    },
    ImageProcessor,
    ImagesConsumer,
  ],
  exports: [ImageProcessor, ImageResizer],
})
export class ImagesWorkerModule {}
