import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TransactionRunner } from '#libs/database';
import { OutboxModule } from '#libs/outbox';
import { ProjectEntity } from './entities/project.entity.js';
import { ProjectsController } from './projects.controller.js';
import { ProjectsRepository } from './projects.repository.js';
import { ProjectsService } from './projects.service.js';

/** API side: the /projects routes; changes and their events commit together (outbox). */
@Module({
  imports: [TypeOrmModule.forFeature([ProjectEntity]), OutboxModule],
  controllers: [ProjectsController],
  providers: [ProjectsRepository, ProjectsService, TransactionRunner],
  exports: [ProjectsService],
})
export class ProjectsModule {}
