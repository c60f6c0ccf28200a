import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from './db.ts';
import { testDatabases } from './testing.ts';

async function waitFor<T>(read: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out');
    await sleep(20);
  }
}

for (const database of testDatabases()) {
  describe(`Db on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
    });
    after(() => db?.close());

    it('commits a transaction that resolves and rolls back one that throws', async () => {
      await db.transaction((tx) => tx.query(`INSERT INTO profiles (name, definition) VALUES ('a', '{}')`));
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO profiles (name, definition) VALUES ('b', '{}')`);
          throw new Error('boom');
        }),
        /boom/,
      );
      const rows = await db.query<{ name: string }>('SELECT name FROM profiles ORDER BY name');
      assert.deepEqual(
        rows.map((r) => r.name),
        ['a'],
      );
    });

    it('names the statement in a query error, with a code', async () => {
      await assert.rejects(db.query('SELECT * FROM no_such_table'), (e: Error & { code?: string }) => {
        return e.code === 'SM_DB_QUERY' && /no_such_table/.test(e.message);
      });
    });

    it('delivers NOTIFY to listeners until they stop listening', async () => {
      const got: string[] = [];
      const stop = await db.listen('sm_test_channel', (p) => got.push(p));
      await db.notify('sm_test_channel', 'one');
      await waitFor(() => (got.length === 1 ? true : undefined));
      await stop();
      await db.notify('sm_test_channel', 'two');
      await sleep(100);
      assert.deepEqual(got, ['one']);
    });

    if (database.name === 'postgres') {
      it('listens again after the server drops the LISTEN session', async () => {
        const got: string[] = [];
        const stop = await db.listen('sm_test_reconnect', (p) => got.push(p));
        const killed = await db.query<{ n: number }>(
          `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND query LIKE 'LISTEN%'`,
        );
        assert.equal(killed[0]!.n, 1);
        // Notify until the new session hears one: the reconnect takes about half a second.
        await waitFor(() => {
          void db.notify('sm_test_reconnect', 'after').catch(() => {});
          return got.length > 0 ? true : undefined;
        });
        assert.equal(got[0], 'after');
        await stop();
      });
    }
  });
}
