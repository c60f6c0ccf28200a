// Two `smart-mining migrate` processes started together on a fresh PostgreSQL both succeed (schema lock).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createDb } from '@smart-mining/db';
import { createEmptyPostgres } from '@smart-mining/db/testing';

const adminUrl = process.env.DATABASE_URL;
const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

function migrateProcess(databaseUrl: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'migrate'], {
      env: { ...process.env, DATABASE_URL: databaseUrl, SM_LOG_LEVEL: 'warn', SM_CONFIG: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('smart-mining migrate', () => {
  it('two processes migrating one fresh PostgreSQL at once both succeed', {
    skip: !adminUrl && 'no DATABASE_URL',
  }, async () => {
    const empty = await createEmptyPostgres(adminUrl!);
    try {
      const results = await Promise.all([migrateProcess(empty.url), migrateProcess(empty.url)]);
      for (const r of results) assert.equal(r.code, 0, r.stderr);
      const db = await createDb({ databaseUrl: empty.url });
      const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      await db.close();
      assert.ok(row!.n >= 4);
    } finally {
      await empty.drop();
    }
  });
});
