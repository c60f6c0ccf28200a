// Minerstat parsing and normalization on the fixtures: units (reward per H/s per HOUR), -1 sentinels, slugs, fees.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coinByKey, coinsPerHsDay, hashrateFromDifficulty } from '@smart-mining/domain';
import { fixture } from '@smart-mining/testkit';
import { SourceError } from '../../errors.ts';
import { normalizeMinerstatCoins, normalizeMinerstatHardware, normalizeMinerstatPools } from './normalize.ts';
import { parseMinerstatCoins, parseMinerstatHardware, parseMinerstatPools } from './schema.ts';

const FETCHED_AT = new Date('2024-02-16T17:00:00Z');

const close = (actual: number | undefined, expected: number, rel = 1e-9) =>
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) <= Math.abs(expected) * rel,
    `${actual} ≉ ${expected}`,
  );

function coinsFrom(file: string, change?: (rows: Record<string, unknown>[]) => void) {
  const body = fixture<Record<string, unknown>[]>(file);
  change?.(body);
  const warnings: string[] = [];
  const coins = normalizeMinerstatCoins(parseMinerstatCoins(body, warnings), FETCHED_AT, warnings);
  return { coins, warnings, byCoin: new Map(coins.map((c) => [c.coin, c])) };
}

describe('minerstat coins', () => {
  it('BTC: reward × 24 × price = 8.0219 USD/day at 100 TH/s, with the recorded figures', () => {
    const btc = coinsFrom('minerstat/coins.json').byCoin.get('BTC');
    assert.ok(btc);
    close((btc.usdPerHsDay ?? 0) * 1e14, 8.0219, 1e-4);
    assert.equal(btc.source, 'minerstat');
    assert.equal(btc.name, 'Bitcoin');
    assert.equal(btc.algorithm, 'sha256d');
    assert.equal(btc.priceUsd, 52143.148801825);
    assert.equal(btc.volume24hUsd, 28110441076.731);
    assert.equal(btc.difficulty, 81725299822043);
    assert.equal(btc.networkHashrateHs, 5.6876213656025e20);
    assert.equal(btc.blockReward, 6.25);
    assert.deepEqual(btc.observedAt, new Date(1708101372 * 1000));
  });

  it('KAS: network hashrate 1.7007956828705e17 H/s, 9.4117 USD/day at 1 TH/s, own `updated` time', () => {
    const kas = coinsFrom('minerstat/coins.json').byCoin.get('KAS');
    assert.ok(kas);
    assert.equal(kas.networkHashrateHs, 1.7007956828705e17);
    assert.equal(kas.algorithm, 'kheavyhash');
    close((kas.usdPerHsDay ?? 0) * 1e12, 9.4117, 1e-4);
    assert.deepEqual(kas.observedAt, new Date(1708098864 * 1000));
  });

  it('every coin: reward-based USD/day equals the difficulty formula (per-hour reading is right)', () => {
    const { coins, warnings } = coinsFrom('minerstat/coins.json');
    assert.deepEqual(warnings, []);
    assert.deepEqual(coins.map((c) => c.coin).sort(), [
      'BTC',
      'DOGE',
      'ERG',
      'ETC',
      'KAS',
      'LTC',
      'RVN',
      'XMR',
    ]);
    for (const coin of coins) {
      assert.ok(coin.algorithm && coin.difficulty && coin.blockReward && coin.priceUsd, coin.coin);
      // The block time cancels out of the difficulty route, so 1 s is as good as any.
      const nethash = hashrateFromDifficulty(coin.algorithm, coin.difficulty, 1);
      const fromDifficulty = coinsPerHsDay(coin.blockReward, 1, nethash) * coin.priceUsd;
      close(coin.usdPerHsDay, fromDifficulty, 1e-4);
    }
  });

  it('ETC at 100 MH/s earns 0.00981644 ETC/day (cross-check C)', () => {
    const etc = coinsFrom('minerstat/coins.json').byCoin.get('ETC');
    assert.equal(etc?.algorithm, 'etchash');
    close(((etc?.usdPerHsDay ?? 0) / 27.61) * 1e8, 0.00981644, 1e-6);
  });

  it('recorded file: pool rows are dropped silently and -1 never becomes a value', () => {
    const { coins, warnings } = coinsFrom('minerstat/coins_recorded_2024-02-16.json');
    assert.deepEqual(warnings, []);
    assert.ok(coins.every((c) => coinByKey(c.coin)?.key === c.coin));
    assert.ok(!coins.some((c) => c.coin.includes(' ')));
    assert.ok(coins.every((c) => Object.values(c).every((v) => v !== -1)));
  });

  it('-1 fields are omitted, not passed on', () => {
    const { byCoin } = coinsFrom('minerstat/coins.json', (rows) => {
      Object.assign(rows[0]!, { network_hashrate: -1, difficulty: -1, volume: -1, price: -1 });
    });
    const btc = byCoin.get('BTC');
    assert.ok(btc);
    for (const field of ['networkHashrateHs', 'difficulty', 'volume24hUsd', 'priceUsd', 'usdPerHsDay']) {
      assert.ok(!(field in btc), `${field} should be omitted`);
    }
    assert.equal(btc.blockReward, 6.25);
  });

  it('an unknown algorithm skips the row with a warning instead of guessing', () => {
    const { byCoin, warnings } = coinsFrom('minerstat/coins.json', (rows) => {
      rows[5]!.algorithm = 'NeoScrypt';
    });
    assert.equal(byCoin.has('RVN'), false);
    assert.equal(byCoin.size, 7);
    assert.match(warnings.join('\n'), /RVN: unknown algorithm "NeoScrypt"/);
  });

  it('a row missing a required field is skipped with a warning; all rows bad is SM_SOURCE_INVALID', () => {
    const { byCoin, warnings } = coinsFrom('minerstat/coins.json', (rows) => {
      delete rows[1]!.algorithm;
    });
    assert.equal(byCoin.has('KAS'), false);
    assert.equal(byCoin.size, 7);
    assert.match(warnings.join('\n'), /1 of 8 rows skipped; first: KAS: algorithm/);
    const bad = fixture<Record<string, unknown>[]>('minerstat/coins.json').map(({ coin, ...rest }) => rest);
    assert.throws(
      () => parseMinerstatCoins(bad, []),
      (e: unknown) => e instanceof SourceError && e.code === 'SM_SOURCE_INVALID',
    );
  });

  it('no `updated` time → the fetch time', () => {
    const { byCoin } = coinsFrom('minerstat/coins.json', (rows) => {
      delete rows[0]!.updated;
    });
    assert.deepEqual(byCoin.get('BTC')?.observedAt, FETCHED_AT);
  });

  it('a body that is not a list is SM_SOURCE_INVALID', () => {
    assert.throws(
      () => parseMinerstatCoins({ error: 'nope' }, []),
      (e: unknown) => e instanceof SourceError && e.code === 'SM_SOURCE_INVALID',
    );
  });
});

describe('minerstat hardware', () => {
  const warnings: string[] = [];
  const hardware = normalizeMinerstatHardware(
    parseMinerstatHardware(fixture('minerstat/hardware.json'), warnings),
    FETCHED_AT,
    warnings,
  );
  const find = (slug: string, algorithm: string) =>
    hardware.find((h) => h.hardware === slug && h.algorithm === algorithm);

  it('RTX 3080 Etchash: 97.2e6 H/s at 240 W, slug from `url`', () => {
    assert.deepEqual(find('nvidia-rtx-3080', 'etchash'), {
      source: 'minerstat',
      hardware: 'nvidia-rtx-3080',
      name: 'Nvidia RTX 3080',
      vendor: 'nvidia',
      kind: 'gpu',
      algorithm: 'etchash',
      hashrateHs: 97.2e6,
      powerW: 240,
      observedAt: FETCHED_AT,
    });
    assert.equal(find('nvidia-rtx-3080', 'kawpow')?.hashrateHs, 46.45e6);
    assert.equal(find('nvidia-rtx-3080', 'randomx')?.hashrateHs, 780);
  });

  it('one observation per device × algorithm; ASICs keep their kind', () => {
    assert.equal(hardware.length, 8);
    assert.deepEqual(warnings, []);
    const s19 = find('antminer-s19-xp', 'sha256d');
    assert.equal(s19?.kind, 'asic');
    assert.equal(s19?.hashrateHs, 140e12);
    assert.equal(s19?.powerW, 3010);
    assert.equal(find('iceriver-ks3', 'kheavyhash')?.hashrateHs, 8e12);
    assert.equal(find('antminer-l7-9-5gh', 'scrypt')?.hashrateHs, 9.5e9);
  });

  it('unknown algorithms are named in one warning; an unknown device type skips the device', () => {
    const body = fixture<Record<string, unknown>[]>('minerstat/hardware.json');
    (body[0]!.algorithms as Record<string, unknown>).Cuckatoo32 = { hashrate: 1.2, power: 300 };
    body[1]!.type = 'phone';
    const found: string[] = [];
    const out = normalizeMinerstatHardware(parseMinerstatHardware(body, found), FETCHED_AT, found);
    assert.equal(out.length, 7);
    assert.match(found.join('\n'), /unknown algorithms: Cuckatoo32/);
    assert.match(found.join('\n'), /antminer-s19-xp: unknown device type "phone"/);
  });
});

describe('minerstat pools', () => {
  const pools = normalizeMinerstatPools(parseMinerstatPools(fixture('minerstat/pools.json'), []), FETCHED_AT);

  it('2miners: one entry per tracked coin with fee "1%" → 0.01', () => {
    const twoMiners = pools.filter((p) => p.pool === '2miners');
    assert.deepEqual(twoMiners.map((p) => p.coin).sort(), ['ETC', 'KAS', 'RVN']);
    assert.deepEqual(twoMiners[0], {
      source: 'minerstat',
      pool: '2miners',
      coin: 'ETC',
      observedAt: FETCHED_AT,
      feeFraction: 0.01,
    });
  });

  it('combined entries like ETH+ZIL (Ezil) are not ours', () => {
    assert.equal(
      pools.some((p) => p.pool === 'ezil'),
      false,
    );
    assert.deepEqual(pools.map((p) => `${p.pool}:${p.coin}`).sort(), [
      '2miners:ETC',
      '2miners:KAS',
      '2miners:RVN',
      'nanopool:ETC',
      'nanopool:XMR',
    ]);
  });

  it('a fee without a percentage is omitted', () => {
    const body = fixture<{ coins: Record<string, { fee?: string }> }[]>('minerstat/pools.json');
    body[1]!.coins.ETC!.fee = 'see website';
    const out = normalizeMinerstatPools(parseMinerstatPools(body, []), FETCHED_AT);
    const etc = out.find((p) => p.pool === '2miners' && p.coin === 'ETC');
    assert.ok(etc && !('feeFraction' in etc));
  });
});
