/**
 * Every package the code imports is declared, where it must be: what the apps and libs load at
 * run time in `dependencies` (the Lambda images install only those), what tests, scripts, the CDK
 * app and benchmarks load in either. A package that is only there because another one pulls it in
 * can vanish or change major version with that other package's next release. Each declared
 * dependency is also explained in docs/dependencies.md.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

const root = join(import.meta.dirname, '../../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const runtime = new Set(Object.keys(manifest.dependencies));
const any = new Set([...runtime, ...Object.keys(manifest.devDependencies)]);

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs|js)$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .filter((file) => !file.includes('node_modules') && !file.endsWith('.d.ts'));
}

const PACKAGE_NAME = /^(@[a-z0-9-~][\w.~-]*\/)?[a-z0-9-~][\w.~-]*$/;

export interface Imported {
  readonly name: string;
  /** `import type` / `export type`: erased by tsc, so its types package may serve it. */
  readonly typeOnly: boolean;
}

/** The packages a source file imports (static, dynamic and type imports; re-exports). */
export function importedPackages(source: string): Imported[] {
  const found = [
    ...source.matchAll(/(?:^|[\s;])(?:import|export)\s+(type\s)?[^'"]*?from\s*['"]([^'"]+)['"]/gm),
    ...source.matchAll(/(?:^|[\s;])import()\s*['"]([^'"]+)['"]/gm),
    ...source.matchAll(/\bimport()\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((match) => ({ specifier: match[2] ?? '', typeOnly: Boolean(match[1]) }));
  return found
    .filter(
      ({ specifier: s }) => !s.startsWith('.') && !s.startsWith('#') && !s.startsWith('node:'),
    )
    .map(({ specifier: s, typeOnly }) => ({
      name: s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : (s.split('/')[0] ?? s),
      typeOnly,
    }))
    .filter(({ name }) => PACKAGE_NAME.test(name) && !builtinModules.includes(name));
}

/** `@types/aws-lambda` for `aws-lambda`, `@types/scope__pkg` for `@scope/pkg`. */
const typesPackage = (name: string) => `@types/${name.replace(/^@/, '').replace('/', '__')}`;

function undeclared(files: string[], declared: ReadonlySet<string>): string[] {
  return files.flatMap((file) =>
    importedPackages(readFileSync(join(root, file), 'utf8'))
      .filter(
        ({ name, typeOnly }) => !declared.has(name) && !(typeOnly && any.has(typesPackage(name))),
      )
      .map(({ name }) => `${file}: ${name}`),
  );
}

describe('declared dependencies', () => {
  const app = [...sources('apps'), ...sources('libs')];
  const isTest = (file: string) => file.endsWith('.spec.ts');

  it('finds an undeclared import (so a clean result means something)', () => {
    assert.deepEqual(
      importedPackages(
        [
          "IMPORT { a } from '@scope/pkg/sub';",
          "IMPORT type { B } from 'lib/deep';",
          "export * from 'again';",
          "const c = await IMPORT('late');",
          "IMPORT 'side-effect';",
          "IMPORT { d } from './local.js';",
          "IMPORT { e } from 'node:fs';",
          "IMPORT { f } from 'path';",
          // Not a package name: code built in a template string.
          "IMPORT('${name}')",
        ]
          .join('\n')
          .replaceAll('IMPORT', 'import'),
      ).sort((a, b) => a.name.localeCompare(b.name)),
      [
        { name: '@scope/pkg', typeOnly: false },
        { name: 'again', typeOnly: false },
        { name: 'late', typeOnly: false },
        { name: 'lib', typeOnly: true },
        { name: 'side-effect', typeOnly: false },
      ],
    );
    assert.deepEqual(undeclared(['package.json'], new Set()), []);
  });

  it('declares in dependencies every package the apps and libs load at run time', () => {
    assert.deepEqual(
      undeclared(
        app.filter((file) => !isTest(file)),
        runtime,
      ),
      [],
    );
  });

  it('declares every package that tests, scripts, the CDK app and benchmarks load', () => {
    const tooling = [
      ...app.filter(isTest),
      ...sources('test'),
      ...sources('scripts'),
      ...sources('infra'),
      ...sources('bench'),
    ];
    assert.deepEqual(undeclared(tooling, any), []);
  });

  it('explains each runtime dependency in docs/dependencies.md', () => {
    // Exact names, or patterns such as `@aws-sdk/client-*` (the first cell of a row).
    const named = [
      ...readFileSync(join(root, 'docs/dependencies.md'), 'utf8').matchAll(/`([^`\s]+)`/g),
    ]
      .map((match) => match[1] ?? '')
      .map(
        (token) =>
          new RegExp(`^${token.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`),
      );
    assert.deepEqual(
      [...runtime].filter((name) => !named.some((pattern) => pattern.test(name))),
      [],
    );
  });
});
