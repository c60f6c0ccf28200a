// The production build runs on plain Node (no tsx): built into a temporary folder, `migrate` and `--help` work.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const BUILD = fileURLToPath(new URL('../build.mjs', import.meta.url));
/** Inside the repository (git-ignored), so the bundle finds node_modules as an installed copy would. */
const TMP = fileURLToPath(new URL('../../../.tmp/', import.meta.url));

describe('production build', () => {
  mkdirSync(TMP, { recursive: true });
  const dir = mkdtempSync(join(TMP, 'build-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('bundles the command so that node alone runs it against its migrations', () => {
    const built = spawnSync(process.execPath, [BUILD], {
      env: { ...process.env, SM_BUILD_DIR: dir },
      encoding: 'utf8',
    });
    assert.equal(built.status, 0, built.stderr);
    const bundle = join(dir, 'bin', 'smart-mining.mjs');
    assert.ok(!/from ['"]tsx/.test(readFileSync(bundle, 'utf8')), 'no tsx at run time');
    // No --import tsx: what `npm start` does after `npm ci --omit=dev`.
    const env = {
      ...process.env,
      SM_DATA_DIR: join(dir, 'pglite'),
      SM_CONFIG: '',
      DATABASE_URL: '',
      SM_LOG_LEVEL: 'warn',
    };
    const migrated = spawnSync(process.execPath, [bundle, 'migrate'], { env, encoding: 'utf8' });
    assert.equal(migrated.status, 0, migrated.stderr);
    const help = spawnSync(process.execPath, [bundle, '--help'], { env, encoding: 'utf8' });
    assert.match(help.stdout, /token/);
    assert.match(help.stdout, /proxy/);
    // `proxy` starts the bundle again with the V8 flag: the help comes from that second process.
    const proxyHelp = spawnSync(process.execPath, [bundle, 'proxy', '--help'], { env, encoding: 'utf8' });
    assert.equal(proxyHelp.status, 0, proxyHelp.stderr);
    assert.match(proxyHelp.stdout, /--api <url\.\.\.>/);
  });
});
