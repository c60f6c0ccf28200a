// The CoinGecko collector against the replay server: ids, key headers, and every injected fault.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COINS } from '@smart-mining/domain';
import { fixture, type ReplayServer } from '@smart-mining/testkit';
import {
  faultHttpClient,
  rejectsWithSourceError,
  TRANSPORT_FAULTS,
  testHttpClient,
  withReplayServer,
} from '../test-support.ts';
import {
  COINGECKO_BASE_URL,
  COINGECKO_PRO_BASE_URL,
  type CoinGeckoCollectorDeps,
  createCoinGeckoCollector,
} from './client.ts';

const http = testHttpClient;

function collector(server: ReplayServer, extra: Partial<CoinGeckoCollectorDeps> = {}) {
  return createCoinGeckoCollector({ http: http(), baseUrl: server.baseUrls.coingecko, ...extra });
}

describe('coingecko collector', () => {
  it('asks for our ids in USD in one request and returns ETC at 27.61', async () => {
    await withReplayServer(async (server) => {
      const result = await collector(server).collect();
      assert.equal(server.requestCount('coingecko'), 1);
      const [request] = server.requests;
      assert.equal(request?.path, '/coins/markets');
      const query = new URLSearchParams(request?.query);
      assert.equal(query.get('vs_currency'), 'usd');
      assert.equal(query.get('per_page'), '250');
      assert.deepEqual(
        query.get('ids')?.split(','),
        COINS.map((c) => c.coingeckoId),
      );
      const etc = result.coins.find((c) => c.coin === 'ETC');
      assert.equal(etc?.priceUsd, 27.61);
      assert.equal(etc?.volume24hUsd, 84531222);
      assert.equal(etc?.observedAt.toISOString(), '2024-02-16T16:35:32.178Z');
      assert.equal(result.coins.length, 11);
      assert.deepEqual(result.warnings, ['coins/markets: no row for bitcoin-cash (BCH)']);
    });
  });

  it('sends a demo or pro key as its header, and none without a key', async () => {
    await withReplayServer(async (server) => {
      const seen: Record<string, string>[] = [];
      const spy: typeof globalThis.fetch = (input, init) => {
        seen.push({ ...(init?.headers as Record<string, string>) });
        return globalThis.fetch(input, init);
      };
      const base = server.baseUrls.coingecko;
      await createCoinGeckoCollector({ http: http(spy), baseUrl: base }).collect();
      await createCoinGeckoCollector({ http: http(spy), baseUrl: base, apiKey: 'demo-k' }).collect();
      await createCoinGeckoCollector({
        http: http(spy),
        baseUrl: base,
        apiKey: 'pro-k',
        plan: 'pro',
      }).collect();
      assert.equal(Object.keys(seen[0]!).filter((h) => h.startsWith('x-cg-')).length, 0);
      assert.equal(seen[1]?.['x-cg-demo-api-key'], 'demo-k');
      assert.equal(seen[2]?.['x-cg-pro-api-key'], 'pro-k');
      assert.equal(seen[2]?.['x-cg-demo-api-key'], undefined);
    });
  });

  it('defaults to the public host, the pro host on the pro plan, and skips pro without a key', () => {
    assert.equal(COINGECKO_BASE_URL, 'https://api.coingecko.com/api/v3');
    assert.equal(COINGECKO_PRO_BASE_URL, 'https://pro-api.coingecko.com/api/v3');
    assert.equal(createCoinGeckoCollector({ http: http() }).skipReason, undefined);
    assert.match(
      createCoinGeckoCollector({ http: http(), plan: 'pro' }).skipReason ?? '',
      /needs an API key/,
    );
  });

  it('accepts numbers sent as strings and returns the same observations', async () => {
    await withReplayServer(async (server) => {
      const plain = await collector(server).collect();
      server.inject('coingecko', { kind: 'numbers-as-strings' });
      assert.deepEqual(await collector(server).collect(), plain);
    });
  });

  it('skips a row with a null price with a warning', async () => {
    await withReplayServer(async (server) => {
      server.updateFixture<Record<string, unknown>[]>('coingecko/coins_markets.json', (rows) =>
        rows.map((r) => (r.id === 'kaspa' ? { ...r, current_price: null } : r)),
      );
      const result = await collector(server).collect();
      assert.equal(
        result.coins.find((c) => c.coin === 'KAS'),
        undefined,
      );
      assert.equal(result.coins.length, 10);
      assert.match(result.warnings.join('\n'), /kaspa \(KAS\) has no price, skipped/);
    });
  });

  it('skips a row missing current_price, and fails when every row misses it', async () => {
    await withReplayServer(async (server) => {
      server.updateFixture<Record<string, unknown>[]>('coingecko/coins_markets.json', (rows) =>
        rows.map((r) => (r.id === 'monero' ? { ...r, current_price: undefined } : r)),
      );
      const result = await collector(server).collect();
      assert.equal(result.coins.length, 10);
      assert.match(result.warnings.join('\n'), /1 of 11 rows skipped; first: monero: current_price/);
      server.inject('coingecko', { kind: 'missing-fields', fields: ['current_price'] });
      await rejectsWithSourceError(collector(server).collect(), 'SM_SOURCE_INVALID');
    });
  });

  it('maps injected faults to source error codes', async () => {
    for (const [fault, code] of TRANSPORT_FAULTS) {
      await withReplayServer(async (server) => {
        server.inject('coingecko', fault);
        await rejectsWithSourceError(collector(server, { http: faultHttpClient(fault) }).collect(), code);
        assert.equal(server.requestCount('coingecko'), code === 'SM_SOURCE_INVALID' ? 1 : 2);
      });
    }
  });

  it('retries once after a 429 and succeeds', async () => {
    await withReplayServer(async (server) => {
      server.inject('coingecko', { kind: 'rate-limit', retryAfterS: 0 }, 1);
      const result = await collector(server).collect();
      assert.equal(result.coins.find((c) => c.coin === 'ETC')?.priceUsd, 27.61);
      assert.equal(server.requestCount('coingecko'), 2);
    });
  });

  it('reports a CoinGecko error body sent with HTTP 200 as SM_SOURCE_API_ERROR', async () => {
    // The replay route cannot serve an object at /coins/markets, so this one answer comes from a stub fetch.
    const body = JSON.stringify(fixture('coingecko/error_429.json'));
    const stub: typeof globalThis.fetch = async () => new Response(body, { status: 200 });
    const result = createCoinGeckoCollector({
      http: http(stub),
      baseUrl: 'http://127.0.0.1:9/coingecko',
    }).collect();
    await rejectsWithSourceError(result, 'SM_SOURCE_API_ERROR');
  });

  it('an answer without any of our coins fails the run with SM_SOURCE_EMPTY', async () => {
    await withReplayServer(async (server) => {
      server.updateFixture('coingecko/coins_markets.json', () => []);
      await rejectsWithSourceError(
        collector(server).collect(),
        'SM_SOURCE_EMPTY',
        /no price for any of our coins/,
      );
    });
  });
});
