// A clean install prints no install-script warnings: every dependency with an install script is declared in
// package.json's allowScripts (npm 11 runs only the approved ones and warns about any other).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const root = new URL('../../', import.meta.url);
const readJson = (file: string) => JSON.parse(readFileSync(new URL(file, root), 'utf8'));

describe('install scripts', () => {
  it('every package of the lockfile with an install script is approved or denied in allowScripts', () => {
    const lock = readJson('package-lock.json') as {
      packages: Record<string, { version?: string; hasInstallScript?: boolean }>;
    };
    const allow = (readJson('package.json') as { allowScripts?: Record<string, boolean> }).allowScripts ?? {};
    const withScripts = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([path, p]) => ({
        name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length),
        ...p,
      }));
    assert.ok(withScripts.length > 0, 'the lockfile lists packages with install scripts (esbuild)');
    const uncovered = withScripts.filter((p) => !(p.name in allow) && !(`${p.name}@${p.version}` in allow));
    assert.deepEqual(
      uncovered.map((p) => `${p.name}@${p.version}`),
      [],
      'declare these in package.json allowScripts (npm install-scripts approve|deny <name>)',
    );
  });
});
