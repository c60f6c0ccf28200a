// Unit tests of the Binance schema and normalization on the constructed ticker fixtures.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COINS, coinByKey } from '@smart-mining/domain';
import { fixture } from '@smart-mining/testkit';
import { parseBody, parseRows } from '../collector.ts';
import { normalizeBinanceTicker, normalizeBinanceTickers } from './normalize.ts';
import { binanceErrorSchema, binanceTicker24hSchema, binanceTickerListSchema } from './schema.ts';

const NOW = new Date('2030-01-01T00:00:00Z');

function tickers(): ReturnType<typeof binanceTicker24hSchema.parse>[] {
  const list = parseBody(binanceTickerListSchema, fixture('binance/ticker_24hr_symbols.json'), 'test');
  const warnings: string[] = [];
  const rows = parseRows(
    binanceTicker24hSchema,
    list.map((r, i) => [String(i), r]),
    'test',
    warnings,
  );
  assert.deepEqual(warnings, []);
  return rows.map(([, r]) => r);
}

describe('binance normalize', () => {
  it('parses decimal strings and keeps closeTime milliseconds as the observation time', () => {
    const { coins, warnings } = normalizeBinanceTickers(tickers(), COINS, NOW);
    assert.deepEqual(warnings, []);
    const btc = coins.find((c) => c.coin === 'BTC');
    assert.deepEqual(btc, {
      source: 'binance',
      coin: 'BTC',
      observedAt: new Date(1708101371999),
      priceUsd: 52155.01,
      volume24hUsd: Number('1622801883.04675245'),
    });
    assert.equal(btc?.observedAt.toISOString(), '2024-02-16T16:36:11.999Z');
  });

  it('covers the eight listed coins and not ERG (no Binance market)', () => {
    const { coins } = normalizeBinanceTickers(tickers(), COINS, NOW);
    assert.deepEqual(coins.map((c) => c.coin).sort(), [
      'BTC',
      'CFX',
      'DOGE',
      'ETC',
      'FLUX',
      'LTC',
      'RVN',
      'ZEC',
    ]);
    assert.equal(
      coins.find((c) => c.coin === 'ERG'),
      undefined,
    );
    assert.equal(coins.find((c) => c.coin === 'ETC')?.priceUsd, 27.59);
    assert.equal(coins.find((c) => c.coin === 'RVN')?.volume24hUsd, 5405519.22188868);
  });

  it('reads the single-symbol ticker the same way', () => {
    const row = binanceTicker24hSchema.parse(fixture('binance/ticker_24hr_single.json'));
    const btc = normalizeBinanceTicker(row, coinByKey('BTC')!, NOW);
    assert.equal(btc.priceUsd, 52155.01);
    assert.equal(btc.observedAt.getTime(), 1708101371999);
  });

  it('reports symbols it did not ask for instead of guessing a coin', () => {
    const onlyBtc = COINS.filter((c) => c.key === 'BTC');
    const { coins, warnings } = normalizeBinanceTickers(tickers(), onlyBtc, NOW);
    assert.deepEqual(
      coins.map((c) => c.coin),
      ['BTC'],
    );
    assert.equal(warnings.length, 7);
    assert.match(warnings[0]!, /unexpected symbol LTCUSDT/);
  });

  it('falls back to now() without closeTime and skips a zero price', () => {
    const [btc, ltc] = tickers();
    const { coins, warnings } = normalizeBinanceTickers(
      [
        { ...btc!, closeTime: undefined },
        { ...ltc!, lastPrice: 0 },
      ],
      COINS,
      NOW,
    );
    assert.deepEqual(
      coins.map((c) => [c.coin, c.observedAt]),
      [['BTC', NOW]],
    );
    assert.match(warnings[0]!, /LTCUSDT has no positive lastPrice/);
  });

  it('recognises the invalid-symbol error body', () => {
    assert.deepEqual(binanceErrorSchema.parse(fixture('binance/error_invalid_symbol.json')), {
      code: -1121,
      msg: 'Invalid symbol.',
    });
  });
});
