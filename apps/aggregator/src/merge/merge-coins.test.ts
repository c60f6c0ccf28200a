import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CoinObservation } from '@smart-mining/domain';
import { type MergeCoinsOptions, mergeCoin, mergeCoins } from './merge-coins.ts';

const now = new Date('2024-02-16T16:40:00Z');
const at = new Date('2024-02-16T16:36:12Z');
const options: MergeCoinsOptions = {
  now,
  maxDeviationFraction: 0.05,
  minVolume24hUsd: 10_000,
  priceStaleS: 900,
  networkStaleS: 1800,
  maxQuoteLagS: 600,
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

  it('marks the price untrusted when every quote’s own 24 h volume is too small', () => {
    const thin = snapshot.map((o) => (o.volume24hUsd ? { ...o, volume24hUsd: 500 } : o));
    const c = mergeCoin('ETC', thin, options)!;
    assert.equal(c.priceTrusted, false);
    assert.equal(c.trusted, false);
    assert.equal(c.sources.volumeBelowMinimum, true);
  });

  it('leaves out a price quote whose own market is thin, even when another market is deep', () => {
    const thinBinance = [
      etc({ source: 'binance', priceUsd: 27.5, volume24hUsd: 0 }),
      etc({ source: 'coingecko', priceUsd: 27.61, volume24hUsd: 276_100_000 }),
    ];
    const c = mergeCoin('ETC', [...thinBinance, ...snapshot.slice(2)], options)!;
    assert.equal(c.priceUsd, 27.61);
    assert.equal(c.priceTrusted, true);
    assert.deepEqual((c.sources.priceUsd as { rejected: object }).rejected, { binance: 'thin-volume' });
  });

  it('lets a lagging source vote only when no other source gives the figure, and then not trusted', () => {
    const lagging = snapshot.map((o) => (o.source === 'whattomine' ? { ...o, lagging: true } : o));
    const c = mergeCoin('ETC', lagging, options)!;
    assert.deepEqual((c.sources.difficulty as { rejected: object }).rejected, { whattomine: 'lagging' });
    assert.equal(c.trusted, false, 'the block reward rests on the lagging source alone');
    const reward = etc({ source: 'minerstat', blockReward: 2.56 });
    assert.equal(mergeCoin('ETC', [...lagging, reward], options)!.trusted, true);
    assert.deepEqual(c.sources.lagging, ['whattomine']);
  });

  it('leaves out observations older than their staleness limit and keeps the previous values', () => {
    const old = new Date(now.getTime() - 3600_000);
    const previous = mergeCoin('ETC', snapshot, options)!;
    const oldPrice = [etc({ source: 'coingecko', priceUsd: 99, observedAt: old })];
    const c = mergeCoin('ETC', oldPrice, options, previous)!;
    assert.equal(c.priceUsd, 27.61);
    assert.equal(c.priceUpdatedAt?.getTime(), previous.priceUpdatedAt?.getTime());
  });

  it('dates the network data by the figures the value rests on, not by a block time still coming in', () => {
    const previous = mergeCoin('ETC', snapshot, options)!;
    const later = new Date(now.getTime() + 3600_000);
    // An hour on, only prices and Nanopool's block time arrive: the difficulty and reward are the stored ones.
    const fresh = [
      etc({ source: 'coingecko', priceUsd: 27.61, volume24hUsd: 276_100_000, observedAt: later }),
      etc({ source: 'nanopool', priceUsd: 27.61, blockTimeS: 13.1, observedAt: later }),
    ];
    const c = mergeCoins(fresh, { ...options, now: later }, new Map([['ETC', previous]]))[0]!;
    assert.equal(c.difficulty, 2.2532e15);
    assert.equal(c.networkUpdatedAt?.getTime(), previous.networkUpdatedAt?.getTime());
    assert.equal(c.stale, true);
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

  it('never feeds the fallback value from stale source estimates', () => {
    const years = new Date(now.getTime() - 2 * 365 * 86_400_000);
    const btc = (source: 'minerstat' | 'whattomine'): CoinObservation => ({
      source,
      coin: 'BTC',
      observedAt: years,
      priceUsd: 52143.15,
      usdPerHsDay: 8.0219e-14,
    });
    const c = mergeCoin('BTC', [btc('minerstat'), btc('whattomine')], options)!;
    assert.equal(c.usdPerHsDay, undefined);
    assert.equal(c.priceUsd, undefined);
    assert.deepEqual((c.sources.priceUsd as { rejected: object }).rejected, {
      minerstat: 'stale',
      whattomine: 'stale',
    });
  });
});

describe('mergeCoin after a market move (KAS difficulty +25 %)', () => {
  const D0 = 39599735.356646;
  const D1 = D0 * 1.25;
  const reward = 130.8127827;
  const price = 0.14163025807031;
  /** Revenue of 1 H/s a day by the fixtures README formula (kheavyhash: difficulty × 2^32). */
  const usdAt = (difficulty: number) => (86_400 * reward * price) / (difficulty * 2 ** 32);
  const kas = (o: Partial<CoinObservation> & Pick<CoinObservation, 'source'>): CoinObservation => ({
    coin: 'KAS',
    observedAt: at,
    ...o,
  });
  const fresh = [
    kas({ source: 'coingecko', priceUsd: price, volume24hUsd: 67_946_713 }),
    kas({
      source: 'whattomine',
      difficulty: D1,
      blockReward: reward,
      priceUsd: price,
      usdPerHsDay: usdAt(D1),
    }),
  ];

  it('a cached quote older than the fresh one by more than a cycle does not vote', () => {
    const cachedAt = new Date(at.getTime() - 20 * 60_000);
    const cached = kas({ source: 'hashrateno', difficulty: D0, priceUsd: price, observedAt: cachedAt });
    const c = mergeCoin('KAS', [...fresh, cached], options)!;
    assert.equal(c.difficulty, D1);
    assert.equal(c.trusted, true);
    assert.ok(Math.abs(c.usdPerHsDay! / usdAt(D1) - 1) < 1e-12);
    assert.deepEqual((c.sources.difficulty as { rejected: object }).rejected, { hashrateno: 'superseded' });
  });

  it('two contemporary quotes that disagree are settled by the sources’ own revenue estimates', () => {
    const old = kas({ source: 'hashrateno', difficulty: D0 });
    const minerstat = kas({ source: 'minerstat', priceUsd: price, usdPerHsDay: usdAt(D1) * 1.01 });
    const c = mergeCoin('KAS', [...fresh, old, minerstat], options)!;
    assert.equal(c.difficulty, D1);
    assert.equal(c.trusted, true);
    assert.deepEqual((c.sources.difficulty as { rejected: object }).rejected, { hashrateno: 'disagrees' });
  });

  it('without evidence the contest stays untrusted and takes no mean', () => {
    const noEstimates = fresh.map(({ usdPerHsDay: _, ...o }) => o);
    const c = mergeCoin('KAS', [...noEstimates, kas({ source: 'hashrateno', difficulty: D0 })], options)!;
    assert.ok(c.difficulty === D0 || c.difficulty === D1, `${c.difficulty}`);
    assert.equal(c.trusted, false);
  });
});
