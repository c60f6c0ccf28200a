// GET /v1/decision is a safe read: polling it 10,000 times (with and without current, idle miners with nothing
// eligible, devices) writes no row to any table.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { openTestApp, secondsBefore, seedMarket, T0, type TestApp } from '../test-support.ts';

const POLLS = 10_000;
const since = secondsBefore(T0, 100).toISOString();
const QUERIES = [
  'algorithms=etchash',
  'algorithms=etchash,kawpow&hashrateHs=1e8',
  `algorithms=etchash,kawpow&hashrateHs=1e8&current=2miners:ETC&since=${since}`,
  'algorithms=etchash&hashrateHs=1e8&current=nanopool:ETC',
  'algorithms=randomx&hashrateHs=1e4',
  'algorithms=sha256d&hashrateHs=1e12&current=gone:BTC',
  'profile=max-usd-hashrate&hardware=nvidia-rtx-3080',
  'profile=fixed&algorithms=etchash',
];

/** Rows of every table of the schema, by table. */
async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = await db.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}"`);
    counts[name] = row!.n;
  }
  return counts;
}

for (const database of testDatabases()) {
  describe(`decisions are safe reads (${database.name})`, () => {
    let t: TestApp;
    before(async () => {
      t = await openTestApp(database, {}, seedMarket);
    });
    after(() => t.close());

    it(`polling GET /v1/decision ${POLLS} times writes nothing`, async () => {
      const before = await rowCounts(t.db);
      assert.ok(Object.keys(before).length >= 15, Object.keys(before).join());
      for (let i = 0; i < POLLS; i++) {
        const res = await t.app.inject({ url: `/v1/decision?${QUERIES[i % QUERIES.length]}` });
        assert.equal(res.statusCode, 200, res.body);
      }
      assert.deepEqual(await rowCounts(t.db), before);
      const metrics = (await t.app.inject({ url: '/metrics' })).body;
      assert.match(
        metrics,
        new RegExp(`^sm_api_decisions_served_total\\{snapshot="fresh"\\} ${POLLS}$`, 'm'),
      );
    });
  });
}
