// npm run infra:check (after npm run synth): cfn-lint and checkov over every template in cdk.out/.
// Passes only with no cfn-lint error, and no cfn-lint warning or checkov failure that
// infra/template-suppressions.yaml does not list with its reason; an entry there that matches
// nothing fails too, so the list never outlives its findings. Both tools come pinned from
// scripts/ensure-cloud-checkers.sh; neither needs the network or an AWS account.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { run } from '../scripts/lib/run.mjs';

const root = new URL('..', import.meta.url).pathname;
const out = resolve(root, process.env.CDK_OUTDIR ?? 'cdk.out');
const suppressionsFile = 'infra/template-suppressions.yaml';

const ensure = run('bash', ['scripts/ensure-cloud-checkers.sh'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (ensure.status !== 0) process.exit(ensure.status ?? 1);
const bin = ensure.stdout.trim();

let templates;
try {
  templates = readdirSync(out)
    .filter((f) => f.endsWith('.template.json'))
    .map((f) => join(out, f));
} catch {
  templates = [];
}
if (templates.length === 0) {
  console.error(`No template in ${out}: run npm run synth first.`);
  process.exit(1);
}

const config = parse(readFileSync(join(root, suppressionsFile), 'utf8'));
const checkovRules = (config.checkov ?? []).map((entry) => ({
  ...entry,
  patterns: entry.resources.map((r) => new RegExp(`^${r}$`)),
  used: 0,
}));
const cfnLintRules = (config['cfn-lint'] ?? []).map((entry) => ({ ...entry, used: 0 }));
for (const entry of [...checkovRules, ...cfnLintRules]) {
  if (typeof entry.reason !== 'string' || entry.reason.trim().length < 20) {
    console.error(`${suppressionsFile}: ${entry.check ?? entry.rule} has no reason`);
    process.exit(1);
  }
}

const problems = [];
const accepted = [];

// --- cfn-lint -------------------------------------------------------------------------------
const lint = run(join(bin, 'cfn-lint'), ['--format', 'json', ...templates]);
let matches;
try {
  matches = JSON.parse(lint.stdout || '[]');
} catch {
  console.error(`cfn-lint failed (exit ${lint.status}):\n${lint.stdout}${lint.stderr}`);
  process.exit(1);
}
for (const match of matches) {
  const where = `${match.Location.Path.slice(0, 2).join('/')} (line ${match.Location.Start.LineNumber})`;
  const line = `cfn-lint ${match.Level} ${match.Rule.Id} ${where}: ${match.Message}`;
  const allowed =
    match.Level !== 'Error' && cfnLintRules.find((entry) => entry.rule === match.Rule.Id);
  if (allowed) {
    allowed.used++;
    accepted.push(line);
  } else problems.push(line);
}

// --- checkov --------------------------------------------------------------------------------
let passed = 0;
for (const template of templates) {
  const checkov = run(
    join(bin, 'checkov'),
    ['-f', template, '--framework', 'cloudformation', '--output', 'json', '--quiet'],
    { env: { ...process.env, BC_SKIP_MAPPING: 'TRUE', CHECKOV_SKIP_DOWNLOAD: 'TRUE' } },
  );
  let report;
  try {
    report = JSON.parse(checkov.stdout);
  } catch {
    console.error(`checkov failed (exit ${checkov.status}):\n${checkov.stdout}${checkov.stderr}`);
    process.exit(1);
  }
  const reports = Array.isArray(report) ? report : [report];
  for (const { results, summary } of reports) {
    passed += summary?.passed ?? 0;
    for (const failed of results?.failed_checks ?? []) {
      const line = `checkov ${failed.check_id} ${failed.resource}: ${failed.check_name}`;
      const entry = checkovRules.find(
        (e) => e.check === failed.check_id && e.patterns.some((p) => p.test(failed.resource)),
      );
      if (entry) {
        entry.used++;
        accepted.push(line);
      } else problems.push(line);
    }
  }
}

for (const entry of checkovRules.filter((e) => e.used === 0))
  problems.push(`${suppressionsFile}: checkov ${entry.check} matches no finding any more`);
for (const entry of cfnLintRules.filter((e) => e.used === 0))
  problems.push(`${suppressionsFile}: cfn-lint ${entry.rule} matches no warning any more`);

const names = templates.map((t) => t.slice(out.length + 1)).join(', ');
console.log(
  `${names}: checkov ${passed} passed, ${accepted.filter((l) => l.startsWith('checkov')).length} accepted; ` +
    `cfn-lint ${accepted.filter((l) => l.startsWith('cfn-lint')).length} accepted warnings ` +
    `(${suppressionsFile})`,
);
if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('infra:check passed: no cfn-lint error, nothing unaccepted.');
