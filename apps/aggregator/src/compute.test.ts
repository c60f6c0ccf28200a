// The pure cycle: which history rows a cycle appends, staleness by data time, pools and devices net of the fee.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SourceSnapshot } from '@smart-mining/domain';
import { type ComputedCycle, type ComputeOptions, computeCycle, type StoredMarket } from './compute.ts';
import { DEFAULT_OPTIONS, etcMarket } from './test-market.ts';

const T0 = new Date('2024-02-16T16:40:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
/** The configured default (historyHeartbeatS). */
const HEARTBEAT_S = 600;
const options = (now: Date): ComputeOptions => ({ ...DEFAULT_OPTIONS, now });

/** ETC measured at `dataAt` (its pool at `poolAt`), at `priceUsd`. */
const etc = (dataAt: Date, priceUsd?: number, poolAt?: Date) =>
  etcMarket({ dataAt, ...(priceUsd ? { priceUsd } : {}), ...(poolAt ? { poolAt } : {}) });

const EMPTY: StoredMarket = { coins: [], pools: [], mining: [] };

/** What the database holds after writing a computed cycle (the ingest's upserts, without a database). */
function stored(c: ComputedCycle): StoredMarket {
  return { coins: c.coins, pools: c.pools, mining: c.mining };
}

/** Runs cycles in order, each on the state the previous one left; returns every cycle's result. */
function cycles(steps: [Date, SourceSnapshot][]): ComputedCycle[] {
  let state = EMPTY;
  return steps.map(([now, snapshot]) => {
    const c = computeCycle(snapshot, state, options(now));
    state = stored(c);
    return c;
  });
}

describe('computeCycle history', () => {
  it('appends nothing when values repeat, even though every observation time moved', () => {
    const [first, second, third] = cycles([
      [at(0), etc(at(-60))],
      [at(120), etc(at(60))],
      [at(240), etc(at(180))],
    ]);
    assert.equal(first!.coinHistory.length, 1);
    assert.equal(first!.poolHistory.length, 1);
    assert.deepEqual([second!.coinHistory.length, second!.poolHistory.length], [0, 0]);
    assert.deepEqual([third!.coinHistory.length, third!.poolHistory.length], [0, 0]);
    assert.equal(third!.coins[0]!.historyAt?.getTime(), at(0).getTime(), 'history_at stays at the first row');
  });

  it('appends a row when a value changes, whatever the data time says', () => {
    // The second answer carries the same data time as the first (a cached body), yet its price moved.
    const [, second] = cycles([
      [at(0), etc(at(-60))],
      [at(120), etc(at(-60), 28.5)],
    ]);
    assert.equal(second!.coinHistory.length, 1);
    assert.equal(second!.coinHistory[0]!.priceUsd, 28.5);
    assert.equal(second!.coinHistory[0]!.historyAt?.getTime(), at(120).getTime());
    assert.equal(second!.poolHistory.length, 1, 'the pool value follows the price');
  });

  it('writes the heartbeat once the interval passed with fresh, unchanged data', () => {
    const results = cycles([
      [at(0), etc(at(-60))],
      [at(HEARTBEAT_S - 1), etc(at(HEARTBEAT_S - 61))],
      [at(HEARTBEAT_S), etc(at(HEARTBEAT_S - 60))],
      [at(HEARTBEAT_S + 120), etc(at(HEARTBEAT_S + 60))],
    ]);
    assert.deepEqual(
      results.map((c) => [c.coinHistory.length, c.poolHistory.length]),
      [
        [1, 1],
        [0, 0],
        [1, 1],
        [0, 0],
      ],
    );
  });

  it('writes no heartbeat for stale data, so history never shows an old value as new', () => {
    const [, later] = cycles([
      [at(0), etc(at(-60))],
      [at(3600), etc(at(-60))],
    ]);
    assert.equal(later!.coins[0]!.stale, true);
    assert.equal(later!.coinHistory.length, 0);
    assert.equal(later!.pools[0]!.stale, true);
    assert.equal(later!.poolHistory.length, 0);
  });
});

describe('computeCycle staleness, pools and devices', () => {
  it('flags a pool by the time of its data, not the time it was written', () => {
    const dayOld = at(-86_400);
    const [c] = cycles([[at(0), etc(at(-60), 27.61, dayOld)]]);
    assert.equal(c!.pools[0]!.stale, true);
    assert.equal(c!.pools[0]!.observedAt.getTime(), dayOld.getTime());
  });

  it('never replaces a pool’s newer data with an older answer', () => {
    const fresh = etc(at(-60));
    const older = etc(at(-60), 27.61, at(-600));
    older.pools[0]!.hashrateHs = 1;
    const [, second] = cycles([
      [at(0), fresh],
      [at(60), older],
    ]);
    assert.equal(second!.pools[0]!.hashrateHs, 9.4e12);
  });

  it('values a device on its best pool net of that pool’s fee', () => {
    const [c] = cycles([[at(0), etc(at(-60))]]);
    const coin = c!.coins[0]!;
    const pool = c!.pools[0]!;
    const rtx = c!.mining[0]!;
    assert.equal(pool.usdPerHsDay, coin.usdPerHsDay! * (1 - 0.01));
    assert.equal(rtx.bestCoin, 'ETC');
    assert.equal(rtx.bestPool, '2miners:ETC');
    assert.equal(rtx.revenueUsdPerDay, 97.2e6 * pool.usdPerHsDay!);
    assert.ok(Math.abs(rtx.costUsdPerDay! - (240 * 24 * 0.1) / 1000) < 1e-12);
  });

  it('re-values stored pools and devices no source reported this cycle when their coin moves', () => {
    const priceOnly: SourceSnapshot = {
      coins: [
        { source: 'coingecko', coin: 'ETC', observedAt: at(60), priceUsd: 30, volume24hUsd: 84_531_222 },
      ],
      pools: [],
      hardware: [],
    };
    const [first, second] = cycles([
      [at(0), etc(at(-60))],
      [at(120), priceOnly],
    ]);
    const ratio = 30 / 27.61;
    assert.ok(Math.abs(second!.pools[0]!.usdPerHsDay! / first!.pools[0]!.usdPerHsDay! - ratio) < 1e-12);
    assert.ok(
      Math.abs(second!.mining[0]!.revenueUsdPerDay! / first!.mining[0]!.revenueUsdPerDay! - ratio) < 1e-12,
    );
    assert.equal(second!.poolHistory.length, 1);
  });
});
