// The Binance collector against the replay server: batch, -1121 fallback, and every injected fault.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COINS } from '@smart-mining/domain';
import type { ReplayServer } from '@smart-mining/testkit';
import { createMemoryCache } from '../response-cache.ts';
import {
  faultHttpClient,
  rejectsWithSourceError,
  TRANSPORT_FAULTS,
  testHttpClient,
  withReplayServer,
} from '../test-support.ts';
import { createBinanceCollector } from './client.ts';

const http = () => testHttpClient();
const LISTED = ['BTC', 'CFX', 'DOGE', 'ETC', 'FLUX', 'LTC', 'RVN', 'ZEC'];

function collector(server: ReplayServer, coins = COINS, client = http()) {
  return createBinanceCollector({ http: client, baseUrl: server.baseUrls.binance, coins });
}

describe('binance collector', () => {
  it('asks for all symbols in one request when all are listed', async () => {
    await withReplayServer(async (server) => {
      const coins = COINS.filter((c) => c.key === 'BTC' || c.key === 'ETC');
      const result = await collector(server, coins).collect();
      assert.deepEqual(result.warnings, []);
      assert.deepEqual(server.requests, [
        {
          source: 'binance',
          path: '/api/v3/ticker/24hr',
          query: `?symbols=${encodeURIComponent('["BTCUSDT","ETCUSDT"]')}`,
        },
      ]);
      assert.deepEqual(
        result.coins.map((c) => [c.coin, c.priceUsd, c.volume24hUsd]),
        [
          ['BTC', 52155.01, Number('1622801883.04675245')],
          ['ETC', 27.59, 57435830.77101592],
        ],
      );
      assert.equal(result.coins[0]?.observedAt.toISOString(), '2024-02-16T16:36:11.999Z');
    });
  });

  it('falls back to one request per symbol on -1121 and skips the unlisted ones with a warning', async () => {
    await withReplayServer(async (server) => {
      const result = await collector(server).collect();
      assert.deepEqual(result.coins.map((c) => c.coin).sort(), LISTED);
      assert.equal(
        result.coins.find((c) => c.coin === 'ERG'),
        undefined,
      );
      // KAS and BCH have symbols in our coin list but no market in the fixtures.
      assert.equal(result.warnings.length, 2);
      assert.match(result.warnings.join('\n'), /KASUSDT is not a Binance symbol \(code -1121\)/);
      assert.match(result.warnings.join('\n'), /BCHUSDT is not a Binance symbol/);
      const withSymbol = COINS.filter((c) => c.binanceSymbol).length;
      assert.equal(server.requestCount('binance'), 1 + withSymbol);
      assert.equal(server.requests.filter((r) => r.query.startsWith('?symbol=')).length, withSymbol);
    });
  });

  it('leaves refused symbols out of the next batch: one request per run after the first', async () => {
    await withReplayServer(async (server) => {
      const binance = collector(server);
      await binance.collect();
      const before = server.requestCount('binance');
      const again = await binance.collect();
      assert.equal(server.requestCount('binance'), before + 1);
      assert.deepEqual(again.coins.map((c) => c.coin).sort(), LISTED);
    });
  });

  it('accepts numbers sent as strings and returns the same observations', async () => {
    await withReplayServer(async (server) => {
      const plain = await collector(server).collect();
      server.inject('binance', { kind: 'numbers-as-strings' });
      const strings = await collector(server).collect();
      assert.deepEqual(strings, plain);
    });
  });

  it('skips a row without lastPrice with a warning and keeps the others', async () => {
    await withReplayServer(async (server) => {
      server.updateFixture<Record<string, unknown>[]>('binance/ticker_24hr_symbols.json', (rows) =>
        rows.map((r) => (r.symbol === 'LTCUSDT' ? { ...r, lastPrice: undefined } : r)),
      );
      const result = await collector(server).collect();
      assert.deepEqual(
        result.coins.map((c) => c.coin).sort(),
        LISTED.filter((k) => k !== 'LTC'),
      );
      assert.match(result.warnings.join('\n'), /1 of 8 rows skipped; first: LTCUSDT: lastPrice/);
    });
  });

  it('fails with SM_SOURCE_INVALID when every row lacks lastPrice', async () => {
    await withReplayServer(async (server) => {
      server.inject('binance', { kind: 'missing-fields', fields: ['lastPrice'] });
      await rejectsWithSourceError(collector(server).collect(), 'SM_SOURCE_INVALID');
    });
  });

  it('maps injected faults to source error codes', async () => {
    for (const [fault, code] of TRANSPORT_FAULTS) {
      await withReplayServer(async (server) => {
        server.inject('binance', fault);
        await rejectsWithSourceError(collector(server, COINS, faultHttpClient(fault)).collect(), code);
      });
    }
  });

  it('retries once after a 500 and succeeds', async () => {
    await withReplayServer(async (server) => {
      server.inject('binance', { kind: 'status', status: 500 }, 1);
      const result = await collector(server).collect();
      assert.deepEqual(result.coins.map((c) => c.coin).sort(), LISTED);
      assert.equal(server.requests.filter((r) => r.query.startsWith('?symbols=')).length, 2);
    });
  });

  it('reports another Binance error body as SM_SOURCE_API_ERROR', async () => {
    await withReplayServer(async (server) => {
      server.updateFixture('binance/error_invalid_symbol.json', () => ({
        code: -1100,
        msg: "Illegal characters found in parameter 'symbols'.",
      }));
      await rejectsWithSourceError(collector(server).collect(), 'SM_SOURCE_API_ERROR');
      assert.equal(server.requestCount('binance'), 1);
    });
  });

  it('makes no request when no coin has a Binance symbol', async () => {
    await withReplayServer(async (server) => {
      const result = await collector(
        server,
        COINS.filter((c) => !c.binanceSymbol),
      ).collect();
      assert.deepEqual(result, { coins: [], pools: [], hardware: [], warnings: [] });
      assert.equal(server.requestCount('binance'), 0);
    });
  });

  it('remembers refused symbols in the cache it is given: a restart asks one batch only', async () => {
    await withReplayServer(async (server) => {
      const cache = createMemoryCache();
      const make = () => createBinanceCollector({ http: http(), baseUrl: server.baseUrls.binance, cache });
      await make().collect();
      const before = server.requestCount('binance');
      const restarted = await make().collect();
      assert.equal(server.requestCount('binance'), before + 1);
      assert.deepEqual(restarted.coins.map((c) => c.coin).sort(), LISTED);
    });
  });
});
