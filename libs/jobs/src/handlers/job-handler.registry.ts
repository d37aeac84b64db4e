import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { UnknownJobTypeError } from '../domain/job-errors.js';
import { JOB_HANDLER, type JobTypeHandler } from './job-handler.js';

/** Every @JobHandler provider of the application, by type. Adding a type is adding one class. */
@Injectable()
export class JobHandlerRegistry implements OnModuleInit {
  private readonly handlers = new Map<string, JobTypeHandler>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!wrapper.metatype || !instance) continue;
      const type = Reflect.getMetadata(JOB_HANDLER, wrapper.metatype) as string | undefined;
      if (!type) continue;
      if (this.handlers.has(type)) throw new Error(`Two handlers registered for job type ${type}`);
      this.handlers.set(type, instance as JobTypeHandler);
    }
  }

  get types(): readonly string[] {
    return [...this.handlers.keys()].sort();
  }

  has(type: string): boolean {
    return this.handlers.has(type);
  }

  get(type: string): JobTypeHandler | undefined {
    return this.handlers.get(type);
  }

  /** Throws the 422 problem naming the known types. */
  assertKnown(type: string): void {
    if (!this.handlers.has(type)) throw new UnknownJobTypeError(type, this.types);
  }
}
