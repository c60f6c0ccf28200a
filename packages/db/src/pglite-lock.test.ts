// Tests for the PGlite data-directory lock: one holder at a time, named in the refusal; stale locks taken over.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createDb } from './create-db.ts';
import { LOCK_FILE_NAME, lockDataDir } from './pglite-lock.ts';

const root = mkdtempSync(join(tmpdir(), 'sm-lock-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => mkdtempSync(join(root, `d${++dirs}-`));

/** A pid that surely ran on this host and has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

function writeLock(dir: string, holder: Record<string, unknown>): void {
  writeFileSync(join(dir, LOCK_FILE_NAME), JSON.stringify(holder));
}

describe('PGlite data directory lock', () => {
  it('refuses a second open while the first holds the directory, and frees it on close', async () => {
    const dir = freshDir();
    const first = await createDb({ dataDir: dir });
    try {
      await assert.rejects(createDb({ dataDir: dir }), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'SM_DB_LOCKED');
        assert.match(e.message, /this process already has it open/);
        assert.match(e.message, /DATABASE_URL/);
        return true;
      });
    } finally {
      await first.close();
    }
    assert.equal(existsSync(join(dir, LOCK_FILE_NAME)), false);
    const again = await createDb({ dataDir: dir });
    await again.close();
  });

  it('names the holding process, its command and what to do', () => {
    const dir = freshDir();
    // The parent of this test process runs on this host and outlives the test.
    writeLock(dir, {
      pid: process.ppid,
      hostname: hostname(),
      command: 'main.ts start',
      startedAt: '2026-11-30T10:00:00.000Z',
    });
    assert.throws(
      () => lockDataDir(dir),
      (e: Error) => {
        assert.match(
          e.message,
          new RegExp(`in use by process ${process.ppid} \\(main.ts start, since 2026-11-30T10:00:00.000Z\\)`),
        );
        assert.match(e.message, /Stop that process first/);
        assert.match(e.message, /set DATABASE_URL to a PostgreSQL server/);
        return true;
      },
    );
  });

  it('takes over a lock whose process has exited, or that was left by an earlier process with our pid', () => {
    for (const pid of [deadPid(), process.pid]) {
      const dir = freshDir();
      writeLock(dir, { pid, hostname: hostname(), command: 'x', startedAt: 'then' });
      const lock = lockDataDir(dir, ['node', '/repo/main.ts', 'aggregate', '--once']);
      const holder = JSON.parse(readFileSync(lock.file, 'utf8'));
      assert.equal(holder.pid, process.pid);
      assert.equal(holder.command, 'main.ts aggregate --once');
      lock.release();
      assert.equal(existsSync(lock.file), false);
    }
  });

  it('does not take over a lock another process is writing right now (empty, seconds old)', () => {
    const dir = freshDir();
    writeFileSync(join(dir, LOCK_FILE_NAME), '');
    assert.throws(() => lockDataDir(dir), /locked by another process starting now/);
  });

  it('does not take over a lock held on another host (it cannot tell whether that process runs)', () => {
    const dir = freshDir();
    writeLock(dir, { pid: 1, hostname: 'other-host', command: 'main.ts start', startedAt: 'then' });
    assert.throws(() => lockDataDir(dir), /in use by process 1 on other-host/);
  });
});
