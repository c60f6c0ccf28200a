import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CoinObservation } from '@smart-mining/domain';
import { type MergeCoinsOptions, mergeCoin } from './merge-coins.ts';

const now = new Date('2024-02-16T16:40:00Z');
const at = new Date('2024-02-16T16:36:12Z');
const options: MergeCoinsOptions = {
  now,
  maxDeviationFraction: 0.05,
  minVolume24hUsd: 10_000,
  priceStaleS: 900,
  networkStaleS: 1800,
};
const etc = (o: Partial<CoinObservation> & Pick<CoinObservation, 'source'>): CoinObservation => ({
  coin: 'ETC',
  observedAt: at,
  ...o,
});

/** The constructed ETC snapshot of the fixtures README (cross-check C). */
const snapshot: CoinObservation[] = [
  etc({ source: 'coingecko', priceUsd: 27.61, volume24hUsd: 276_100_000 }),
  etc({ source: 'binance', priceUsd: 27.62, volume24hUsd: 51_000_000 }),
  etc({
    source: 'whattomine',
    difficulty: 2.2532e15,
    networkHashrateHs: 1.72e14,
    blockTimeS: 13.1,
    blockReward: 2.56,
    priceUsd: 27.61,
    usdPerHsDay: 0.27103188e-8,
  }),
  etc({ source: '2miners', difficulty: 2.2532e15, networkHashrateHs: 1.72e14, blockTimeS: 13.1 }),
  etc({ source: 'nanopool', priceUsd: 27.61, blockTimeS: 13.1, usdPerHsDay: 0.27103188e-8 }),
];

describe('mergeCoin', () => {
  it('computes usd_per_hs_day that agrees with the sources’ own estimates within 1 %', () => {
    const c = mergeCoin('ETC', snapshot, options)!;
    assert.equal(c.algorithm, 'etchash');
    assert.equal(c.priceUsd, 27.61);
    const estimate = 0.27103188e-8;
    assert.ok(Math.abs(c.usdPerHsDay! - estimate) / estimate < 0.01, `${c.usdPerHsDay}`);
    assert.equal(c.trusted, true);
    assert.equal((c.sources.usdPerHsDay as { method: string }).method, 'difficulty');
    assert.equal(c.volume24hUsd, 276_100_000);
  });

  it('marks the price untrusted when the 24 h volume is too small', () => {
    const thin = snapshot.map((o) => (o.volume24hUsd ? { ...o, volume24hUsd: 500 } : o));
    const c = mergeCoin('ETC', thin, options)!;
    assert.equal(c.priceTrusted, false);
    assert.equal(c.trusted, false);
    assert.equal(c.sources.volumeBelowMinimum, true);
  });

  it('marks the coin untrusted when WhatToMine says its data lags', () => {
    const lagging = snapshot.map((o) => (o.source === 'whattomine' ? { ...o, lagging: true } : o));
    assert.equal(mergeCoin('ETC', lagging, options)!.trusted, false);
  });

  it('leaves out observations older than their staleness limit and keeps the previous values', () => {
    const old = new Date(now.getTime() - 3600_000);
    const previous = mergeCoin('ETC', snapshot, options)!;
    const oldPrice = [etc({ source: 'coingecko', priceUsd: 99, observedAt: old })];
    const c = mergeCoin('ETC', oldPrice, options, previous)!;
    assert.equal(c.priceUsd, 27.61);
    assert.equal(c.priceUpdatedAt?.getTime(), previous.priceUpdatedAt?.getTime());
  });

  it('falls back to network hashrate when no difficulty is known', () => {
    const c = mergeCoin(
      'KAS',
      [
        {
          source: 'minerstat',
          coin: 'KAS',
          observedAt: at,
          priceUsd: 0.14163025807031,
          networkHashrateHs: 1.7007956828705e17,
          blockReward: 130.8127827,
        },
      ],
      options,
    )!;
    // Fixtures README cross-check B: 1 TH/s earns 9.4117 USD/day.
    assert.ok(Math.abs(c.usdPerHsDay! * 1e12 - 9.4117) < 1e-3, `${c.usdPerHsDay! * 1e12}`);
    assert.equal((c.sources.usdPerHsDay as { method: string }).method, 'network-hashrate');
  });
});
