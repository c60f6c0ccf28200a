// Builds the `smart-mining` command for production: one ESM file for Node 20 with our workspaces bundled and
// npm dependencies left to node_modules, beside the SQL migrations and replay fixtures it reads at run time.
// Layout: dist/bin/smart-mining.mjs, dist/bin/migrations/ (./migrations of migrate.ts), dist/bin/pglite-init.mjs,
// dist/fixtures/ (../fixtures of the testkit). `npm start` runs it, so a production install (`--omit=dev`) needs no tsx.

import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
// SM_BUILD_DIR: build elsewhere (the test that runs the built command).
const dist = process.env.SM_BUILD_DIR
  ? `${process.env.SM_BUILD_DIR}/`
  : fileURLToPath(new URL('./dist/', import.meta.url));

/** npm packages the root or any workspace depends on (our own workspaces are bundled, not external). */
function npmDependencies() {
  const manifests = [`${root}package.json`];
  for (const group of ['apps', 'packages']) {
    for (const name of readdirSync(`${root}${group}`)) {
      const manifest = `${root}${group}/${name}/package.json`;
      if (existsSync(manifest)) manifests.push(manifest);
    }
  }
  const names = manifests.flatMap((m) => Object.keys(JSON.parse(readFileSync(m, 'utf8')).dependencies ?? {}));
  return [...new Set(names)].filter((n) => !n.startsWith('@smart-mining/'));
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(`${dist}bin`, { recursive: true });
await build({
  entryPoints: [`${root}apps/cli/src/main.ts`],
  outfile: `${dist}bin/smart-mining.mjs`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // npm packages load from node_modules (PGlite's wasm, swagger-ui's assets stay where they are).
  external: npmDependencies(),
  banner: { js: '#!/usr/bin/env node' },
  sourcemap: true,
  logLevel: 'warning',
});
cpSync(`${root}packages/db/src/migrations`, `${dist}bin/migrations`, { recursive: true });
// initdb of a new PGlite directory runs this script in a child process (./pglite-init.mjs of pglite-setup.ts).
cpSync(`${root}packages/db/src/pglite-init.mjs`, `${dist}bin/pglite-init.mjs`);
cpSync(`${root}packages/testkit/fixtures`, `${dist}fixtures`, { recursive: true });
process.stdout.write(`built ${dist}bin/smart-mining.mjs\n`);
