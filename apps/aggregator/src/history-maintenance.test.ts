// The hourly upkeep on the embedded database: PGlite runs no autovacuum, so without the upkeep's VACUUM every
// row the ingest rewrites stays behind as a dead tuple and the data directory grows for as long as it runs.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { silentLogger } from '@smart-mining/platform';
import { historyMaintenance } from './history-maintenance.ts';

const [pglite] = testDatabases({});

describe('history upkeep on PGlite', () => {
  let db: Db;
  before(async () => {
    db = await pglite!.open();
    await db.query(
      `INSERT INTO coins (coin, name, algorithm, usd_per_hs_day, price_usd, observed_at, updated_at)
       SELECT 'C' || i, 'C' || i, 'sha256d', 1e-9, 1, now(), now() FROM generate_series(1, 20) AS i`,
    );
  });
  after(() => db.close());

  // Rewrites every coin row `times` times, as that many ingests would: each row's `sources` (every source's
  // quotes) is large enough to live out of line, where rewritten values are only freed by VACUUM.
  const rewrite = async (times: number) => {
    for (let i = 0; i < times; i++)
      await db.query(
        `UPDATE coins SET price_usd = price_usd * 1.001,
           sources = jsonb_build_object('quotes', (SELECT string_agg(md5(random()::text), '') FROM generate_series(1, 100)))`,
      );
  };
  const size = async () =>
    Number((await db.query<{ n: string }>("SELECT pg_total_relation_size('coins')::text AS n"))[0]!.n);

  it('frees the space of rewritten rows, so the next rewrites reuse it instead of growing the table', async () => {
    await rewrite(300);
    const grown = await size();
    await historyMaintenance(db, 30 * 86_400, silentLogger)(new Date());
    await rewrite(300);
    const after = await size();
    // Without the upkeep the same rewrites double it; freed space is reused, give or take a few pages.
    assert.ok(after <= grown * 1.1, `the table grew from ${grown} to ${after} bytes over the same rewrites`);
  });
});
