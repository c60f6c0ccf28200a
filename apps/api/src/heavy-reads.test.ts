// Tests for HeavyReads: a few at a time, a bounded queue (503 beyond it), and the statement timeout on a server.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Db } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import type { ApiError } from './errors.ts';
import { HeavyReads } from './heavy-reads.ts';

const fakeDb = { kind: 'pglite' } as Db;

describe('HeavyReads', () => {
  it('runs at most maxConcurrent reads, queues the next ones in order, refuses beyond the queue', async () => {
    const heavy = new HeavyReads(fakeDb, { maxConcurrent: 2, maxQueued: 2, statementTimeoutMs: 1000 });
    const gates: (() => void)[] = [];
    let peak = 0;
    const order: number[] = [];
    const read = (i: number) =>
      heavy.run(async () => {
        peak = Math.max(peak, heavy.running);
        await new Promise<void>((resolve) => gates.push(resolve));
        order.push(i);
        return i;
      });
    const runs = [0, 1, 2, 3].map(read);
    await assert.rejects(read(4), (e: ApiError) => e.code === 'SM_API_BUSY' && e.statusCode === 503);
    assert.equal(heavy.running, 2);
    assert.equal(heavy.waiting, 2);
    while (order.length < 4) {
      await new Promise((r) => setImmediate(r));
      gates.shift()?.();
    }
    assert.deepEqual(await Promise.all(runs), [0, 1, 2, 3]);
    assert.equal(peak, 2);
    assert.equal(heavy.running, 0);
  });

  const postgres = testDatabases().find((d) => d.name === 'postgres');
  it('cancels a read past its statement timeout with 503 SM_API_BUSY', {
    skip: !postgres && 'no DATABASE_URL',
  }, async () => {
    const db = await postgres!.open();
    try {
      const heavy = new HeavyReads(db, { maxConcurrent: 1, maxQueued: 1, statementTimeoutMs: 100 });
      await assert.rejects(
        heavy.run((q) => q.query('SELECT pg_sleep(5)')),
        (e: ApiError) => e.code === 'SM_API_BUSY' && /longer than 0\.1 s/.test(e.message),
      );
      // The timeout was local to that read's transaction.
      assert.deepEqual(await db.query('SELECT 1 AS one'), [{ one: 1 }]);
      const [row] = await db.query<{ statement_timeout: string }>('SHOW statement_timeout');
      assert.equal(row!.statement_timeout, '1min');
    } finally {
      await db.close();
    }
  });
});
