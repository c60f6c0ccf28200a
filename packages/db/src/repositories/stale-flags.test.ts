import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../db.ts';
import { testDatabases } from '../testing.ts';
import { type CoinState, markStaleCoins, upsertCoins } from './coins-write.ts';
import { markStalePools, type PoolState, upsertPools } from './pools-write.ts';

const T0 = new Date('2024-02-16T16:40:00Z');
const later = (s: number) => new Date(T0.getTime() + s * 1000);

const coin = (at: Date): CoinState => ({
  coin: 'ETC',
  name: 'Ethereum Classic',
  algorithm: 'etchash',
  priceUsd: 27.61,
  priceTrusted: true,
  trusted: true,
  sources: {},
  observedAt: at,
  priceUpdatedAt: at,
  networkUpdatedAt: at,
});
const pool = (at: Date): PoolState => ({
  poolKey: '2miners:ETC',
  pool: '2miners',
  coin: 'ETC',
  feeFraction: 0.01,
  endpoints: [{ host: 'etc.2miners.com', port: 1010, tls: false, dialect: 'ethereum-stratum' }],
  sources: {},
  observedAt: at,
});

for (const database of testDatabases()) {
  describe(`stale flags (${database.name})`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
    });
    after(() => db?.close());

    const coinStale = async () => (await db.query<{ stale: boolean }>('SELECT stale FROM coins'))[0]!.stale;
    const poolFlags = async () =>
      (await db.query<{ stale: boolean; healthy: boolean }>('SELECT stale, healthy FROM pools'))[0]!;

    it('flags a coin once its price or network data passes the limit, and clears it when refreshed', async () => {
      await upsertCoins(db, [coin(T0)], T0);
      await markStaleCoins(db, later(60), 900, 1800);
      assert.equal(await coinStale(), false);
      await markStaleCoins(db, later(1000), 900, 1800);
      assert.equal(await coinStale(), true, 'price older than 900 s');
      await upsertCoins(db, [coin(later(1000))], later(1000));
      await markStaleCoins(db, later(1000), 900, 1800);
      assert.equal(await coinStale(), false);
    });

    it('flags a pool not refreshed within the limit as stale and unhealthy; a refresh clears both', async () => {
      await upsertPools(db, [pool(T0)], T0);
      await markStalePools(db, later(60), 1800);
      assert.deepEqual(await poolFlags(), { stale: false, healthy: true });
      await markStalePools(db, later(3600), 1800);
      assert.deepEqual(await poolFlags(), { stale: true, healthy: false });
      await upsertPools(db, [pool(later(3600))], later(3600));
      await markStalePools(db, later(3600), 1800);
      assert.deepEqual(await poolFlags(), { stale: false, healthy: true });
    });
  });
}
