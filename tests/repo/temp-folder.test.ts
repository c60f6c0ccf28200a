// Tests that make temp folders remove them: the config and lock suites run here in a temp folder of their own,
// which must be empty afterwards (scripts/run-tests.mjs checks the same for the whole suite).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const root = new URL('../../', import.meta.url).pathname;

describe('temp folders', () => {
  it('the config and PGlite lock tests leave nothing in the temp folder', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'sm-temp-check-'));
    // A test run inside a test would otherwise report to this one's runner instead of printing.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    try {
      const run = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '--test',
          'packages/platform/src/config.test.ts',
          'packages/db/src/pglite-lock.test.ts',
        ],
        { cwd: root, env: { ...env, TMPDIR: tmp }, encoding: 'utf8' },
      );
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /# pass [1-9]/);
      // tsx's transform cache is the test runner's, not the tests'.
      assert.deepEqual(
        readdirSync(tmp).filter((name) => !name.startsWith('tsx-')),
        [],
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
