// npm's prepare step (after `npm ci` / `npm install`): builds every workspace that has a build script. A
// production install (`--omit=dev`) has no build tools: it keeps the build already in dist/ (e.g. copied
// from a build stage) and says so.

import { spawnSync } from 'node:child_process';

try {
  await import('esbuild');
} catch {
  process.stdout.write('prepare: no build tools (production install): using the existing builds in dist/\n');
  process.exit(0);
}
const result = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(result.status ?? 1);
