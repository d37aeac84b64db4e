import { fileURLToPath } from 'node:url';
import { createApp } from '../src/app.js';
import { CodeCraftStack } from '../src/codecraft-stack.js';
import { loadManifest } from '../src/manifest.js';
import { readSettings } from '../src/settings.js';

/**
 * The CDK app (`npm run synth`, `npm run cdk -- deploy`). The stack is environment-agnostic: no
 * account or region is looked up, so synthesis runs offline with no AWS credentials; `cdk deploy`
 * deploys it to the account and region of the credentials it runs with.
 */
const app = createApp();
// dist/infra/bin/app.js → the repository root (the images' build context).
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const settings = readSettings((key) => app.node.tryGetContext(key), repoRoot);
new CodeCraftStack(app, `${settings.prefix}-${settings.stage}`, {
  settings,
  manifest: loadManifest(),
  description: `CodeCraft (${settings.stage}): API and worker on Lambda, built from the resource manifest`,
});
app.synth();
