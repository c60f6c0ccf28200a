// Unit tests of the CoinGecko schema and normalization on the constructed /coins/markets fixture.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COINS } from '@smart-mining/domain';
import { fixture } from '@smart-mining/testkit';
import { parseRows } from '../collector.ts';
import { normalizeCoingeckoMarkets } from './normalize.ts';
import { type CoingeckoMarket, coingeckoErrorSchema, coingeckoMarketSchema } from './schema.ts';

const NOW = new Date('2030-01-01T00:00:00Z');

function markets(): CoingeckoMarket[] {
  const raw = fixture<{ id: string }[]>('coingecko/coins_markets.json');
  const warnings: string[] = [];
  const rows = parseRows(
    coingeckoMarketSchema,
    raw.map((r) => [r.id, r]),
    'test',
    warnings,
  );
  assert.deepEqual(warnings, []);
  return rows.map(([, r]) => r);
}

describe('coingecko normalize', () => {
  it('reads USD price, USD volume and the ISO last_updated time', () => {
    const { coins } = normalizeCoingeckoMarkets(markets(), COINS, NOW);
    assert.deepEqual(
      coins.find((c) => c.coin === 'ETC'),
      {
        source: 'coingecko',
        coin: 'ETC',
        observedAt: new Date('2024-02-16T16:35:32.178Z'),
        priceUsd: 27.61,
        volume24hUsd: 84531222,
      },
    );
    assert.equal(coins.find((c) => c.coin === 'BTC')?.priceUsd, 52143.14880183);
    assert.equal(coins.find((c) => c.coin === 'KAS')?.priceUsd, 0.14163026);
  });

  it('maps FLUX and CFX by their unusual ids (zelcash, conflux-token)', () => {
    const { coins } = normalizeCoingeckoMarkets(markets(), COINS, NOW);
    assert.equal(coins.find((c) => c.coin === 'FLUX')?.priceUsd, 0.8123);
    assert.equal(coins.find((c) => c.coin === 'CFX')?.priceUsd, 0.2205);
    assert.equal(coins.length, 11);
  });

  it('never maps by symbol: another "flux" id is ignored', () => {
    const clash = { ...markets().find((r) => r.id === 'zelcash')!, id: 'flux-2', current_price: 99 };
    const { coins } = normalizeCoingeckoMarkets([clash], COINS, NOW);
    assert.deepEqual(coins, []);
  });

  it('warns about coins the response does not contain (BCH is not in the fixture)', () => {
    const { warnings } = normalizeCoingeckoMarkets(markets(), COINS, NOW);
    assert.deepEqual(warnings, ['coins/markets: no row for bitcoin-cash (BCH)']);
  });

  it('skips a row with a null price with a warning, and dates a row without last_updated now', () => {
    const rows = markets().map((r) => {
      if (r.id === 'ergo') return { ...r, current_price: null };
      if (r.id === 'monero') return { ...r, last_updated: null, total_volume: null };
      return r;
    });
    const { coins, warnings } = normalizeCoingeckoMarkets(rows, COINS, NOW);
    assert.equal(
      coins.find((c) => c.coin === 'ERG'),
      undefined,
    );
    assert.match(warnings[0]!, /ergo \(ERG\) has no price, skipped/);
    assert.deepEqual(
      coins.find((c) => c.coin === 'XMR'),
      { source: 'coingecko', coin: 'XMR', observedAt: NOW, priceUsd: 124.37 },
    );
  });

  it('accepts numeric strings and rejects a row without current_price', () => {
    const row = coingeckoMarketSchema.parse({
      id: 'kaspa',
      current_price: '0.14163026',
      total_volume: '1e3',
    });
    assert.equal(row.current_price, 0.14163026);
    assert.equal(row.total_volume, 1000);
    assert.equal(coingeckoMarketSchema.safeParse({ id: 'kaspa' }).success, false);
  });

  it('recognises the 429 error body', () => {
    const body = coingeckoErrorSchema.parse(fixture('coingecko/error_429.json'));
    assert.equal(body.status.error_code, 429);
  });
});
