// Tests for staleness at read time: each row's fresh-until time by the kind of its data, and the rows as they
// read at any time (forward or back), rebuilt only when some row crosses its limit.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CoinRow, PoolRow } from '@smart-mining/db';
import { coinFreshUntilMs, poolFreshUntilMs, StalingRows, staleRowOfPool } from './market-staleness.ts';

const T = Date.parse('2026-11-25T12:00:00Z');
const LIMITS = { priceS: 900, networkS: 1800, poolS: 1800 };
const at = (s: number) => new Date(T + s * 1000);

function coin(c: Partial<CoinRow>): CoinRow {
  return {
    coin: 'ETC',
    observedAt: at(0),
    priceUpdatedAt: null,
    networkUpdatedAt: null,
    stale: false,
    ...c,
  } as CoinRow;
}

function pool(p: Partial<PoolRow>): PoolRow {
  return {
    poolKey: '2miners:ETC',
    coin: 'ETC',
    sources: { '2miners': {} },
    observedAt: at(0),
    healthy: true,
    stale: false,
    ...p,
  } as PoolRow;
}

describe('market staleness at read time', () => {
  it('a coin is fresh until its price or its network data outlives its limit, whichever comes first', () => {
    assert.equal(
      coinFreshUntilMs(coin({ priceUpdatedAt: at(0), networkUpdatedAt: at(-1000) }), LIMITS),
      T + 800_000,
    );
    assert.equal(
      coinFreshUntilMs(coin({ priceUpdatedAt: at(-100), networkUpdatedAt: at(0) }), LIMITS),
      T + 800_000,
    );
    assert.equal(coinFreshUntilMs(coin({}), LIMITS), T + 900_000, 'without field times, the row time');
    assert.equal(coinFreshUntilMs(coin({ stale: true }), LIMITS), Number.NEGATIVE_INFINITY);
  });

  it("a pool by its own data and the pool limit; a pool only declared by its coin's", () => {
    assert.equal(poolFreshUntilMs(pool({}), T + 1, LIMITS), T + 1_800_000);
    assert.equal(poolFreshUntilMs(pool({ sources: { declared: {} } }), T + 1, LIMITS), T + 1);
    assert.equal(
      poolFreshUntilMs(pool({ sources: { declared: {}, nanopool: {} } }), T + 1, LIMITS),
      T + 1_800_000,
    );
    assert.equal(poolFreshUntilMs(pool({ stale: true }), T + 1, LIMITS), Number.NEGATIVE_INFINITY);
  });

  it('rows read stale past their limit and fresh again before it, rebuilt only when some row crosses', () => {
    const rows = [
      pool({ poolKey: 'a:ETC' }),
      pool({ poolKey: 'b:ETC' }),
      pool({ poolKey: 'c:ETC', stale: true }),
    ];
    const view = new StalingRows(
      rows,
      [T + 10, T + 20, Number.NEGATIVE_INFINITY],
      (p) => p.poolKey,
      staleRowOfPool,
    );
    const staleAt = (ms: number) => {
      view.refresh(ms);
      return view.rows.map((p) => [p.poolKey, p.stale, p.healthy]);
    };
    assert.equal(view.refresh(T), true, 'the first view');
    assert.deepEqual(staleAt(T + 10), [
      ['a:ETC', false, true],
      ['b:ETC', false, true],
      ['c:ETC', true, true],
    ]);
    assert.equal(view.refresh(T + 5), false, 'nothing crossed');
    assert.equal(view.refresh(T + 11), true);
    assert.deepEqual(view.get('a:ETC')?.stale, true);
    assert.deepEqual(staleAt(T + 21), [
      ['a:ETC', true, false],
      ['b:ETC', true, false],
      ['c:ETC', true, true],
    ]);
    assert.deepEqual(staleAt(T), [
      ['a:ETC', false, true],
      ['b:ETC', false, true],
      ['c:ETC', true, true],
    ]);
    assert.equal(rows[0]?.stale, false, 'the stored rows are never changed');
  });
});
