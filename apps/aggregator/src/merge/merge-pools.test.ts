// Declared pools in the pool merge: as fresh as their coin, valued net of the declared fee, over a source's pool
// only its endpoints and fee, and a warning when no decision can choose them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PoolState } from '@smart-mining/db';
import { coinByKey, type DeclaredPool, type PoolObservation } from '@smart-mining/domain';
import type { MergedCoin } from './merge-coins.ts';
import { declaredPoolWarnings, mergePools } from './merge-pools.ts';

const NOW = new Date('2024-02-16T16:40:00Z');
const ago = (s: number) => new Date(NOW.getTime() - s * 1000);
const OPTIONS = { now: NOW, poolStaleS: 1800 };

const coin = (
  key: string,
  algorithm: MergedCoin['algorithm'],
  extra: Partial<MergedCoin> = {},
): MergedCoin => ({
  coin: key,
  name: key,
  algorithm,
  usdPerHsDay: 2e-10,
  priceTrusted: true,
  trusted: true,
  stale: false,
  sources: {},
  observedAt: ago(60),
  ...extra,
});

const declared = (key: string, feeFraction = 0.02): DeclaredPool => {
  const [pool, c] = key.split(':') as [string, string];
  return {
    poolKey: key,
    pool,
    coin: c,
    algorithm: coinByKey(c)!.algorithm,
    feeFraction,
    endpoints: [{ host: `${pool}.example`, port: 3333, tls: false, dialect: 'stratum-v1' }],
  };
};

const coins = (...list: MergedCoin[]) => new Map(list.map((c) => [c.coin, c]));

describe('mergePools with declared pools', () => {
  it('writes a declared pool from its coin: fee applied, data time and staleness the coin’s', () => {
    const [fresh] = mergePools([], coins(coin('LTC', 'scrypt')), [], {
      ...OPTIONS,
      declaredPools: [declared('viabtc:LTC', 0.02)],
    });
    assert.equal(fresh!.usdPerHsDay, 2e-10 * 0.98);
    assert.deepEqual([fresh!.stale, fresh!.observedAt, fresh!.feeFraction], [false, ago(60), 0.02]);
    assert.deepEqual(fresh!.sources, { declared: { feeFraction: 0.02, endpoints: 1 } });

    // A coin judged stale makes its declared pool stale, whatever the pool limit says.
    const [stale] = mergePools([], coins(coin('LTC', 'scrypt', { stale: true })), [], {
      ...OPTIONS,
      declaredPools: [declared('viabtc:LTC')],
    });
    assert.equal(stale!.stale, true);
  });

  it('drops the value of a stored declared pool once its coin has none', () => {
    const [first] = mergePools([], coins(coin('LTC', 'scrypt')), [], {
      ...OPTIONS,
      declaredPools: [declared('viabtc:LTC')],
    });
    const [later] = mergePools([], coins(), [first as PoolState], {
      ...OPTIONS,
      declaredPools: [declared('viabtc:LTC')],
    });
    assert.deepEqual([later!.usdPerHsDay, later!.stale], [undefined, true]);
  });

  it('gives a pool a source lists the declared endpoints and fee, keeping its own data and staleness', () => {
    const observed: PoolObservation = {
      source: '2miners',
      pool: '2miners',
      coin: 'ETC',
      observedAt: ago(3600),
      feeFraction: 0.01,
      hashrateHs: 9e12,
      endpoints: [{ host: 'etc.2miners.com', port: 1010, tls: false, dialect: 'ethereum-stratum' }],
    };
    const [pool] = mergePools([observed], coins(coin('ETC', 'etchash')), [], {
      ...OPTIONS,
      declaredPools: [declared('2miners:ETC', 0.005)],
    });
    assert.deepEqual(pool!.endpoints, declared('2miners:ETC').endpoints);
    assert.equal(pool!.feeFraction, 0.005);
    assert.equal(pool!.usdPerHsDay, 2e-10 * 0.995);
    assert.equal(pool!.hashrateHs, 9e12);
    assert.equal(pool!.stale, true, "an hour-old answer of the pool's API is stale, declared or not");
    assert.deepEqual(Object.keys(pool!.sources).sort(), ['2miners', 'declared']);
  });

  it('warns of the declared pools no decision can choose, and why', () => {
    const list = ['a:BTC', 'b:LTC', 'c:DOGE', 'd:BCH'].map((k) => declared(k));
    const warnings = declaredPoolWarnings(
      list,
      coins(
        coin('BTC', 'sha256d'),
        coin('LTC', 'scrypt', { usdPerHsDay: undefined }),
        coin('DOGE', 'scrypt', { stale: true }),
      ),
    );
    assert.deepEqual(warnings, [
      'declared pool b:LTC: LTC has no USD per H/s per day (price or network data missing); no decision will choose it',
      "declared pool c:DOGE: DOGE's market data is stale; no decision will choose it until it is fresh",
      'declared pool d:BCH: no source gives BCH market data; no decision will choose it',
    ]);
  });
});
