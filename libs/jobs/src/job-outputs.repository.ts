import { Injectable } from '@nestjs/common';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ResourceNames } from '#libs/aws';

/** Objects written by `s3` jobs in the storage bucket, under `jobs/`. */
@Injectable()
export class JobOutputsRepository {
  readonly bucket: string;

  constructor(
    private readonly s3: S3Client,
    names: ResourceNames,
  ) {
    this.bucket = names.bucket('storage');
  }

  /** Deterministic key per job, so writing again (a redelivery) replaces the object with itself. */
  static keyFor(jobId: string): string {
    return `jobs/${jobId}.json`;
  }

  async putJson(key: string, data: unknown, jobId: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: JSON.stringify(data),
        ContentType: 'application/json',
        Metadata: { 'job-id': jobId },
      }),
    );
  }
}
