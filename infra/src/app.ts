import { App } from 'aws-cdk-lib';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';

/**
 * A CDK app with today's recommended feature flags (what `cdk init` writes into a new project's
 * cdk.json; ours has none), CloudFormation schema checks as errors among them. Context given here
 * or on the command line (`-c key=value`) wins over the flags.
 */
export function createApp(context: Record<string, unknown> = {}): App {
  return new App({
    context: { ...CURRENTLY_RECOMMENDED_FLAGS, ...context },
    analyticsReporting: false,
  });
}
