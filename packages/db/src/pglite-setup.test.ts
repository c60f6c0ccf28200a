// The embedded database's start: memory sized for a process that also runs the app; a new data directory made by
// a child process, then opened here.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createDb } from './create-db.ts';

describe('PGlite setup', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sm-pglite-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs with buffers sized for an embedded process, not for a server of its own', async () => {
    const db = await createDb();
    try {
      const show = async (name: string) => (await db.query<Record<string, string>>(`SHOW ${name}`))[0]![name];
      // PGlite's own default is 160MB: every page it touches stays in the process for good.
      assert.equal(await show('shared_buffers'), '16MB');
      assert.equal(await show('maintenance_work_mem'), '16MB');
    } finally {
      await db.close();
    }
  });

  it('creates a new data directory, opens it, and opens it again as it was left', async () => {
    const dataDir = join(dir, 'data');
    const first = await createDb({ dataDir });
    await first.query('CREATE TABLE kept (n int)');
    await first.query('INSERT INTO kept VALUES (7)');
    await first.close();
    assert.ok(existsSync(join(dataDir, 'PG_VERSION')));
    const again = await createDb({ dataDir });
    try {
      assert.deepEqual(await again.query('SELECT n FROM kept'), [{ n: 7 }]);
    } finally {
      await again.close();
    }
  });
});
