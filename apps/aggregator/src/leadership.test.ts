// The ingest lease on both databases: one holder at a time, takeover after expiry, a stale holder's ingest
// rolled back by the fencing check, and a released lease taken at once.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type Db, LeaseLostError, readLease } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { createLogger, silentLogger } from '@smart-mining/platform';
import { waitFor } from '@smart-mining/testkit';
import { ingest } from './ingest.ts';
import { createLeadership } from './leadership.ts';
import { DEFAULT_OPTIONS, etcMarket } from './test-market.ts';

const T0 = new Date('2024-02-16T16:40:00Z');

for (const database of testDatabases()) {
  describe(`ingest lease on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
    });
    after(() => db?.close());
    beforeEach(async () => {
      await db.query('UPDATE aggregator_lease SET holder = NULL, expires_at = clock_timestamp()');
    });

    const leader = (holder: string, ttlS = 30, renewS = 10) =>
      createLeadership({ db, holder, ttlS, renewS, logger: silentLogger });
    const coinRows = async () =>
      (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM coin_history'))[0]!.n;

    it("logs taking the lease under the aggregator's role, and a stop as the lease released", async () => {
      let out = '';
      const logger = createLogger('info', {
        write: (line: string) => {
          out += line;
        },
      }).child({
        role: 'aggregator',
      });
      const a = createLeadership({ db, holder: 'a', ttlS: 30, renewS: 10, logger });
      assert.equal(await a.tick(), 'leader');
      await a.stop();
      const lines = out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.deepEqual(
        lines.map((l) => [l.msg, l.role, l.lease]),
        [
          ['leading', 'aggregator', 'leader'],
          ['lease released', 'aggregator', undefined],
        ],
      );
    });

    it('lets one instance lead; the other stands by until the lease expires, then leads at a new epoch', async () => {
      const a = leader('a', 0.4, 0.1);
      const b = leader('b', 0.4, 0.1);
      assert.equal(await a.tick(), 'leader');
      assert.equal(await b.tick(), 'standby');
      const first = a.status().epoch!;
      assert.equal((await readLease(db)).holder, 'a');
      // a stops renewing (dead or hung): once its lease has expired, b takes it.
      await waitFor(async () => (await b.tick()) === 'leader', 'b to take the expired lease', 5000, 50);
      assert.equal(b.status().epoch, first + 1);
      // a wakes: its renewal fails and it stands by.
      assert.equal(await a.tick(), 'standby');
      assert.equal((await readLease(db)).holder, 'b');
      await b.stop();
    });

    it("rolls back a stale leader's ingest at its fencing check and commits the leader's", async () => {
      // a's lease is short (it stops renewing and expires); b's long enough for its ingest on a loaded machine.
      const a = leader('a', 0.3, 0.1);
      const b = leader('b');
      assert.equal(await a.tick(), 'leader');
      const before = await coinRows();
      await waitFor(async () => (await b.tick()) === 'leader', 'b to take the expired lease', 5000, 50);
      const fence = (tx: Parameters<typeof a.fence>[0]) => a.fence(tx);
      await assert.rejects(
        ingest(db, etcMarket({ dataAt: T0 }), [], T0, DEFAULT_OPTIONS, fence),
        (e: Error) => e instanceof LeaseLostError && /rolled back/.test(e.message),
      );
      assert.equal(await coinRows(), before, 'nothing of the stale ingest was written');
      assert.equal(a.status().role, 'standby');
      const written = await ingest(db, etcMarket({ dataAt: T0 }), [], T0, DEFAULT_OPTIONS, (tx) =>
        b.fence(tx),
      );
      assert.equal(written.coinHistory, 1);
      assert.equal(await coinRows(), before + 1);
      await b.stop();
    });

    it('refuses the fence to a leader whose lease expired unrenewed, even with nobody else around', async () => {
      const a = leader('a', 0.2, 0.1);
      assert.equal(await a.tick(), 'leader');
      await waitFor(async () => (await readLease(db)).expiresAt.getTime() < Date.now() - 50, 'expiry');
      await assert.rejects(
        db.transaction((tx) => a.fence(tx)),
        LeaseLostError,
      );
    });

    it('frees the lease on stop, so a standby leads at its next try', async () => {
      const a = leader('a');
      const b = leader('b');
      assert.equal(await a.tick(), 'leader');
      assert.equal(await b.tick(), 'standby');
      await a.stop();
      assert.equal((await readLease(db)).holder, null);
      assert.equal(await b.tick(), 'leader');
      await b.stop();
    });

    it('keeps renewing after a stop and a new start (one cycle after another)', async () => {
      const a = leader('a', 2, 0.2);
      a.start();
      await waitFor(() => a.status().role === 'leader', 'a to lead', 5000);
      await a.stop();
      assert.equal((await readLease(db)).holder, null);
      a.start();
      await waitFor(() => a.status().role === 'leader', 'a to lead again', 5000);
      // Longer than the lease: only renewals keep it.
      const until = Date.now() + 3000;
      await waitFor(() => Date.now() > until, 'a lease and a half', 6000, 100);
      const lease = await readLease(db);
      assert.equal(lease.holder, 'a');
      assert.ok(lease.expiresAt.getTime() > Date.now(), 'renewed, not expired');
      await a.stop();
    });

    it('refuses a renewal period that is not below the lease', () => {
      assert.throws(() => leader('a', 10, 10), /below the lease/);
    });
  });
}
