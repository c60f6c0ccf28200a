import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Queryable } from '@smart-mining/db';
import { MarketCache } from './market-cache.ts';

/** A Queryable that counts reads of `coins` and answers each with the current price. */
function fakeDb() {
  const state = { price: 1, coinReads: 0, gate: Promise.resolve() };
  const db: Queryable = {
    async query<R>(sql: string): Promise<R[]> {
      if (/FROM coins/.test(sql)) {
        state.coinReads += 1;
        const price = state.price;
        await state.gate;
        return [{ coin: 'ETC', algorithm: 'etchash', priceUsd: price, stale: false }] as R[];
      }
      return [];
    },
  };
  return { db, state };
}

const now = () => new Date('2024-02-16T16:40:00Z');

describe('MarketCache', () => {
  it('serves one load to concurrent readers and reuses it until invalidated', async () => {
    const { db, state } = fakeDb();
    const cache = new MarketCache(db, { ttlMs: 60_000, now });
    const [a, b] = await Promise.all([cache.get(), cache.get()]);
    assert.equal(a, b);
    await cache.get();
    assert.equal(state.coinReads, 1);
    state.price = 2;
    cache.invalidate();
    assert.equal((await cache.get()).coin('ETC')?.priceUsd, 2);
    assert.equal(state.coinReads, 2);
  });

  it('does not keep a load that started before an invalidation', async () => {
    const { db, state } = fakeDb();
    const cache = new MarketCache(db, { ttlMs: 60_000, now });
    let open!: () => void;
    state.gate = new Promise((resolve) => {
      open = resolve;
    });
    const early = cache.get();
    await new Promise((r) => setImmediate(r));
    state.price = 3;
    cache.invalidate();
    const late = cache.get();
    open();
    assert.equal((await early).coin('ETC')?.priceUsd, 1);
    assert.equal((await late).coin('ETC')?.priceUsd, 3);
    assert.equal((await cache.get()).coin('ETC')?.priceUsd, 3);
  });

  it('reloads after its time to live', async () => {
    const { db, state } = fakeDb();
    const cache = new MarketCache(db, { ttlMs: 0, now });
    await cache.get();
    await cache.get();
    assert.equal(state.coinReads, 2);
  });
});
