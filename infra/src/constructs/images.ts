import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { CpuArchitecture, ImageSource } from '../settings.js';

/** The Lambda targets of docker/Dockerfile. */
export type LambdaImage = 'lambda-api' | 'lambda-worker';

export const lambdaArchitecture = (architecture: CpuArchitecture): lambda.Architecture =>
  architecture === 'arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64;

/**
 * What the asset build must never send to Docker, beyond the repository's .dockerignore: this
 * synthesis output, which would otherwise contain itself. (infra/ stays: the image's build stage
 * compiles everything tsconfig.json includes, the infra spec among it.)
 */
const ASSET_EXCLUDES = ['cdk.out'];

/**
 * The code of a function from one of the two Lambda images, with an optional CMD (the handler).
 * From ECR by default: nothing is built, and synthesis needs neither Docker nor the network. With
 * buildImages=true, CDK builds docker/Dockerfile's target for the function's architecture when it
 * publishes assets (`cdk deploy`), never during `cdk synth`, which only stages the context.
 */
export function imageCode(
  scope: Construct,
  source: ImageSource,
  image: LambdaImage,
  architecture: CpuArchitecture,
  cmd?: string[],
): lambda.DockerImageCode {
  if (source.kind === 'asset') {
    return lambda.DockerImageCode.fromImageAsset(source.repoRoot, {
      file: 'docker/Dockerfile',
      target: image,
      platform: architecture === 'arm64' ? Platform.LINUX_ARM64 : Platform.LINUX_AMD64,
      exclude: ASSET_EXCLUDES,
      ...(cmd ? { cmd } : {}),
    });
  }
  const name = image === 'lambda-api' ? source.apiRepository : source.workerRepository;
  const id = `${image}-repository`;
  const repository =
    (scope.node.tryFindChild(id) as ecr.IRepository | undefined) ??
    ecr.Repository.fromRepositoryName(scope, id, name);
  return lambda.DockerImageCode.fromEcr(repository, {
    tagOrDigest: source.tag,
    ...(cmd ? { cmd } : {}),
  });
}
