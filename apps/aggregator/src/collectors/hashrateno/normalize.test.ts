// hashrate.no parsing and normalization on the fixtures: string numbers, tracked coins only, benchmark slugs, errors.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture } from '@smart-mining/testkit';
import { SourceError } from '../../errors.ts';
import { createMemoryCache } from '../response-cache.ts';
import { normalizeHashratenoBenchmarks, normalizeHashratenoCoins } from './normalize.ts';
import { hashratenoApiError, parseHashratenoBenchmarks, parseHashratenoCoins } from './schema.ts';

const FETCHED_AT = new Date('2024-02-16T16:36:12Z');

function coinsFrom(body: unknown) {
  const warnings: string[] = [];
  const coins = normalizeHashratenoCoins(parseHashratenoCoins(body, warnings), FETCHED_AT, warnings);
  return { coins, warnings, byCoin: new Map(coins.map((c) => [c.coin, c])) };
}

describe('hashrate.no coins', () => {
  it('ETC: price 27.61 USD and the network figures, parsed from strings', () => {
    const { byCoin, warnings } = coinsFrom(fixture('hashrate_no/coins.json'));
    assert.deepEqual(warnings, []);
    assert.deepEqual(byCoin.get('ETC'), {
      source: 'hashrateno',
      coin: 'ETC',
      observedAt: FETCHED_AT,
      name: 'Ethereum Classic',
      algorithm: 'etchash',
      priceUsd: 27.61,
      volume24hUsd: 276100000,
      networkHashrateHs: 1.72e14,
      difficulty: 2.2532e15,
    });
  });

  it('all five fixture coins map to our algorithms', () => {
    const { coins } = coinsFrom(fixture('hashrate_no/coins.json'));
    assert.deepEqual(Object.fromEntries(coins.map((c) => [c.coin, c.algorithm])), {
      ETC: 'etchash',
      RVN: 'kawpow',
      KAS: 'kheavyhash',
      ERG: 'autolykos2',
      XMR: 'randomx',
    });
    assert.equal(coins.find((c) => c.coin === 'KAS')?.networkHashrateHs, 1.7008e17);
  });

  it('coins we do not track are dropped without validation or warning', () => {
    const body = fixture<Record<string, unknown>>('hashrate_no/coins_RVN.json');
    body.NOTACOIN = { broken: true };
    const { coins, warnings } = coinsFrom(body);
    assert.deepEqual(
      coins.map((c) => c.coin),
      ['RVN'],
    );
    assert.deepEqual(warnings, []);
  });

  it('a row without price.USD is skipped with a warning; every row bad → SM_SOURCE_INVALID', () => {
    const body = fixture<Record<string, { price: Record<string, unknown> }>>('hashrate_no/coins.json');
    delete body.RVN!.price.USD;
    const { byCoin, warnings } = coinsFrom(body);
    assert.equal(byCoin.size, 4);
    assert.equal(byCoin.has('RVN'), false);
    assert.match(warnings.join('\n'), /1 of 5 rows skipped; first: RVN: price\.USD/);
    for (const row of Object.values(body)) delete row.price.USD;
    assert.throws(
      () => parseHashratenoCoins(body, []),
      (e: unknown) => e instanceof SourceError && e.code === 'SM_SOURCE_INVALID',
    );
  });

  it('an unknown algorithm skips the coin with a warning instead of guessing', () => {
    const body = fixture<Record<string, { algorithm: string }>>('hashrate_no/coins.json');
    body.ERG!.algorithm = 'Autolykos3000';
    const { byCoin, warnings } = coinsFrom(body);
    assert.equal(byCoin.has('ERG'), false);
    assert.match(warnings.join('\n'), /ERG: unknown algorithm "Autolykos3000"/);
  });
});

describe('hashrate.no benchmarks', () => {
  it('RVN: RTX 4090 kawpow 130e6 H/s at 330 W, slug nvidia-rtx-4090', () => {
    const warnings: string[] = [];
    const rows = parseHashratenoBenchmarks(fixture('hashrate_no/benchmarks_RVN.json'), 'RVN', warnings);
    const hardware = normalizeHashratenoBenchmarks(rows, 'kawpow', FETCHED_AT, warnings);
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      hardware.find((h) => h.hardware === 'nvidia-rtx-4090'),
      {
        source: 'hashrateno',
        hardware: 'nvidia-rtx-4090',
        name: 'RTX 4090',
        vendor: 'nvidia',
        kind: 'gpu',
        algorithm: 'kawpow',
        hashrateHs: 130e6,
        powerW: 330,
        observedAt: FETCHED_AT,
      },
    );
    const rtx3080 = hardware.find((h) => h.hardware === 'nvidia-rtx-3080');
    assert.equal(rtx3080?.hashrateHs, 46.45e6);
    assert.equal(rtx3080?.powerW, 279);
  });

  it('an unknown device type or a zero hashrate skips that device with a warning', () => {
    const body = fixture<Record<string, Record<string, unknown>>>('hashrate_no/benchmarks_RVN.json');
    body['4090']!.deviceType = 'toaster';
    body['3080']!.hashrate = '0';
    const warnings: string[] = [];
    const rows = parseHashratenoBenchmarks(body, 'RVN', warnings);
    assert.deepEqual(normalizeHashratenoBenchmarks(rows, 'kawpow', FETCHED_AT, warnings), []);
    assert.match(warnings.join('\n'), /4090 \(RTX 4090\): unknown device type "toaster"/);
    assert.match(warnings.join('\n'), /3080 \(RTX 3080\): hashrate 0/);
  });
});

describe('hashrate.no error body and cache', () => {
  it('recognises the {title, detail} error body and nothing else', () => {
    assert.deepEqual(hashratenoApiError(fixture('hashrate_no/error_invalid_key.json')), {
      title: 'Unauthorized',
      detail: 'Invalid API key',
    });
    assert.equal(hashratenoApiError(fixture('hashrate_no/coins.json')), undefined);
    assert.equal(hashratenoApiError(fixture('hashrate_no/benchmarks_RVN.json')), undefined);
  });

  it('the memory cache returns what was set, by key', async () => {
    const cache = createMemoryCache();
    assert.equal(await cache.get('a'), undefined);
    await cache.set('a', { fetchedAt: FETCHED_AT, body: { x: 1 } });
    assert.deepEqual(await cache.get('a'), { fetchedAt: FETCHED_AT, body: { x: 1 } });
    assert.equal(await cache.get('b'), undefined);
  });
});
