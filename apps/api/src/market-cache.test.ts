// Tests for MarketCache: one load for concurrent readers, invalidation, refresh behind an expired snapshot,
// and the last snapshot answering (stale) while the database is away.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Queryable } from '@smart-mining/db';
import { DEFAULT_STALENESS_LIMITS } from '@smart-mining/domain';
import { MarketCache } from './market-cache.ts';

/** A Queryable that counts reads of `coins` and answers each with the current price (or fails when down). */
function fakeDb() {
  const state = { price: 1, coinReads: 0, attempts: 0, down: false, gate: Promise.resolve() };
  const db: Queryable = {
    async query<R>(sql: string): Promise<R[]> {
      if (/FROM coins/.test(sql)) state.attempts += 1;
      if (state.down) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      if (/FROM coins/.test(sql)) {
        state.coinReads += 1;
        const price = state.price;
        await state.gate;
        return [
          { coin: 'ETC', algorithm: 'etchash', priceUsd: price, observedAt: now(), stale: false },
        ] as R[];
      }
      return [];
    },
  };
  return { db, state };
}

const now = () => new Date('2024-02-16T16:40:00Z');

/** A clock the test moves. */
function manualClock() {
  const clock = { ms: 0, read: () => clock.ms };
  return clock;
}

describe('MarketCache', () => {
  it('serves one load to concurrent readers and reuses it until invalidated', async () => {
    const { db, state } = fakeDb();
    const cache = new MarketCache(db, { ttlMs: 60_000, now, staleness: DEFAULT_STALENESS_LIMITS });
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
    const cache = new MarketCache(db, { ttlMs: 60_000, now, staleness: DEFAULT_STALENESS_LIMITS });
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

  it('after its time to live, answers at once and reloads behind', async () => {
    const { db, state } = fakeDb();
    const clock = manualClock();
    const cache = new MarketCache(db, {
      ttlMs: 1000,
      now,
      staleness: DEFAULT_STALENESS_LIMITS,
      clockMs: clock.read,
    });
    await cache.get();
    state.price = 5;
    clock.ms = 1500;
    assert.equal((await cache.get()).coin('ETC')?.priceUsd, 1);
    assert.equal(state.coinReads, 2);
    // The reload behind it lands; the next read sees it.
    await new Promise((r) => setImmediate(r));
    assert.equal((await cache.get()).coin('ETC')?.priceUsd, 5);
  });

  it('while the database is away, the last snapshot answers (stale) and the database is asked once a second', async () => {
    const { db, state } = fakeDb();
    const clock = manualClock();
    const cache = new MarketCache(db, {
      ttlMs: 1000,
      now,
      staleness: DEFAULT_STALENESS_LIMITS,
      clockMs: clock.read,
      retryMs: 1000,
    });
    const first = await cache.get();
    assert.equal(cache.status?.stale, false);
    state.down = true;
    cache.invalidate();
    assert.equal(await cache.get(), first);
    assert.equal(cache.status?.stale, true);
    // Within the retry pause no reload is tried: the snapshot answers without waiting.
    const tries = state.attempts;
    clock.ms = 500;
    assert.equal(await cache.get(), first);
    assert.equal(state.attempts, tries);
    state.down = false;
    state.price = 7;
    clock.ms = 1200;
    assert.equal((await cache.get()).coin('ETC')?.priceUsd, 7);
    assert.equal(cache.status?.stale, false);
  });

  it('an event (the database answers again) ends the retry pause: the next read reloads', async () => {
    const { db, state } = fakeDb();
    const clock = manualClock();
    const cache = new MarketCache(db, {
      ttlMs: 1000,
      now,
      staleness: DEFAULT_STALENESS_LIMITS,
      clockMs: clock.read,
      retryMs: 1000,
    });
    await cache.get();
    state.down = true;
    cache.invalidate();
    await cache.get();
    assert.equal(cache.status?.stale, true);
    state.down = false;
    state.price = 9;
    clock.ms = 10;
    cache.invalidate();
    assert.equal((await cache.get()).coin('ETC')?.priceUsd, 9);
    assert.equal(cache.status?.stale, false);
  });

  it('fails when the database is away and no snapshot was ever read', async () => {
    const { db, state } = fakeDb();
    state.down = true;
    const cache = new MarketCache(db, { ttlMs: 1000, now, staleness: DEFAULT_STALENESS_LIMITS });
    await assert.rejects(cache.get(), /ECONNREFUSED/);
    assert.equal(cache.status, undefined);
  });

  it('a snapshot reads a coin stale once its data outlives the limit, and drops what it memoized before', async () => {
    const { db, state } = fakeDb();
    let at = now();
    const cache = new MarketCache(db, {
      ttlMs: 3_600_000,
      now: () => at,
      staleness: DEFAULT_STALENESS_LIMITS,
    });
    const snapshot = await cache.get();
    const staleFlags = () =>
      snapshot.memo('test', 'coins', () => snapshot.coins({ includeStale: true }).map((c) => c.stale));
    assert.deepEqual(staleFlags(), [false]);
    at = new Date(now().getTime() + DEFAULT_STALENESS_LIMITS.priceS * 1000);
    assert.deepEqual(staleFlags(), [false], 'at the limit, still fresh');
    at = new Date(at.getTime() + 1);
    assert.equal(await cache.get(), snapshot, 'no reload');
    assert.deepEqual(staleFlags(), [true]);
    assert.equal(snapshot.coin('ETC')?.stale, true);
    assert.deepEqual(snapshot.coins(), [], 'left out unless includeStale');
    assert.equal(state.coinReads, 1);
  });
});
