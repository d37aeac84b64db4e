import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { validate } from 'class-validator';
import { CreateJobDto, type CreateJobInput } from './dto/create-job.dto.js';

/**
 * POST /jobs takes two bodies: CodeCraft's `{type, payload, delaySeconds?, maxAttempts?}` and the
 * original system's `{job_type, ...data}` (detected by `job_type`; the other fields become the
 * payload). Both come out as one CreateJobInput; errors read like the global ValidationPipe's.
 */
@Injectable()
export class CreateJobBodyPipe implements PipeTransform<unknown, Promise<CreateJobInput>> {
  async transform(body: unknown): Promise<CreateJobInput> {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new BadRequestException(['the body must be a JSON object']);
    const fields = body as Record<string, unknown>;
    if ('job_type' in fields) return legacyInput(fields);
    // Assign instead of plainToInstance: the payload must reach the handler exactly as sent.
    const dto = Object.assign(new CreateJobDto(), fields);
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0)
      throw new BadRequestException(
        errors.flatMap((error) => Object.values(error.constraints ?? {})),
      );
    return {
      type: dto.type,
      payload: dto.payload,
      ...(dto.delaySeconds === undefined ? {} : { delaySeconds: dto.delaySeconds }),
      ...(dto.maxAttempts === undefined ? {} : { maxAttempts: dto.maxAttempts }),
    };
  }
}

function legacyInput(fields: Record<string, unknown>): CreateJobInput {
  const { job_type: type, ...payload } = fields;
  if (typeof type !== 'string' || type.length === 0 || type.length > 64)
    throw new BadRequestException(['job_type must be a non-empty string of at most 64 characters']);
  return { type, payload };
}
