import {
  createAwsClients,
  destroyAwsClients,
  ResourceBootstrapper,
  ResourceNames,
  resourceManifest,
} from '#libs/aws';
import { loadConfigOrExit } from '#libs/config';
// The manifest holds the resources of the libs loaded: those the two apps wire, every domain.
import '../apps/api/src/api.module.js';
import '../apps/worker/src/worker.module.js';

/** npm run bootstrap: creates or updates every manifest resource on the configured endpoint. */
const config = loadConfigOrExit();
const clients = createAwsClients(config.aws);
const target = config.aws.emulated
  ? Object.entries(config.aws.endpoints)
      .map(([service, url]) => `${service.toLowerCase()}=${url ?? 'AWS'}`)
      .join(' ')
  : `AWS ${config.aws.region}`;
console.log(`Bootstrapping "${config.prefix}" resources on ${target}`);
const started = Date.now();
try {
  const steps = await new ResourceBootstrapper(clients, {
    names: new ResourceNames(config.prefix),
    senderAddress: config.ses.fromAddress,
    demoUserEmail: config.auth.demoUserEmail,
    metricsNamespace: config.metricsNamespace,
    local: config.aws.emulated,
    onStep: (step) => {
      const mark = step.outcome === 'unchanged' ? '=' : step.outcome === 'created' ? '+' : '~';
      console.log(`  ${mark} ${step.kind.padEnd(16)} ${step.name} (${step.outcome})`);
    },
  }).run(resourceManifest);
  const changed = steps.filter((s) => s.outcome !== 'unchanged').length;
  console.log(`Done in ${Date.now() - started} ms: ${steps.length} resources, ${changed} changed.`);
} catch (error) {
  console.error('Bootstrap failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  destroyAwsClients(clients);
}
