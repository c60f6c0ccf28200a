// The WhatToMine collector against the replay server: both files, one file failing, and every injected fault.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReplayServer } from '@smart-mining/testkit';
import {
  faultHttpClient,
  rejectsWithSourceError,
  TRANSPORT_FAULTS,
  testHttpClient,
  withReplayServer,
} from '../test-support.ts';
import { createWhatToMineCollector } from './client.ts';

const http = () => testHttpClient();
const ALL = ['BTC', 'DOGE', 'ERG', 'ETC', 'KAS', 'LTC', 'RVN', 'XMR'];

function collector(server: ReplayServer, client = http()) {
  return createWhatToMineCollector({ http: client, baseUrl: server.baseUrls.whattomine });
}

function near(actual: number | undefined, expected: number, relative: number): void {
  assert.ok(actual !== undefined && Math.abs(actual / expected - 1) <= relative, `${actual} ≉ ${expected}`);
}

describe('whattomine collector', () => {
  it('reads both files, passing the documented calculator factors to coins.json', async () => {
    await withReplayServer(async (server) => {
      const result = await collector(server).collect();
      assert.deepEqual(result.warnings, ['no entry for BCH']);
      assert.deepEqual(result.coins.map((c) => c.coin).sort(), ALL);
      const paths = server.requests.map((r) => `${r.path}${r.query}`).sort();
      assert.deepEqual(paths, ['/asic.json', '/coins.json?rmx=true&factor%5Brmx_hr%5D=10000']);
      const etc = result.coins.find((c) => c.coin === 'ETC');
      near(etc?.priceUsd, 27.61, 1e-9);
      near((etc?.usdPerHsDay ?? 0) * 1e8, 0.27103, 1e-4);
      assert.equal(etc?.observedAt.toISOString(), '2024-02-16T16:34:12.000Z');
      assert.equal(result.coins.find((c) => c.coin === 'BTC')?.priceUsd, 52143.1488);
    });
  });

  it('accepts numbers sent as strings and returns the same observations', async () => {
    await withReplayServer(async (server) => {
      const plain = await collector(server).collect();
      server.inject('whattomine', { kind: 'numbers-as-strings' });
      assert.deepEqual(await collector(server).collect(), plain);
    });
  });

  it('keeps the other file when one fails, with warnings', async () => {
    await withReplayServer(async (server) => {
      server.updateFixture('whattomine/asic.json', () => ({ error: 'maintenance' }));
      const result = await collector(server).collect();
      assert.deepEqual(result.coins.map((c) => c.coin).sort(), ['ERG', 'ETC', 'RVN', 'XMR']);
      // Without asic.json there is no Bitcoin entry, hence no BTC/USD rate.
      assert.ok(result.coins.every((c) => c.priceUsd === undefined && c.networkHashrateHs !== undefined));
      assert.match(result.warnings[0]!, /^SM_SOURCE_INVALID: asic.json: coins: /);
      assert.ok(result.warnings.includes('no Bitcoin entry (asic.json): no BTC/USD rate, so no USD prices'));
    });
  });

  it('omits usdPerHsDay when estimated_rewards is missing and derives a missing nethash', async () => {
    await withReplayServer(async (server) => {
      server.inject('whattomine', { kind: 'missing-fields', fields: ['estimated_rewards', 'nethash'] });
      const result = await collector(server).collect();
      assert.deepEqual(result.coins.map((c) => c.coin).sort(), ALL);
      assert.ok(result.coins.every((c) => c.usdPerHsDay === undefined));
      near(result.coins.find((c) => c.coin === 'ETC')?.networkHashrateHs, 1.72e14, 1e-12);
    });
  });

  it('skips an entry missing a required field, and fails when every entry misses it', async () => {
    await withReplayServer(async (server) => {
      server.updateFixture<{ coins: Record<string, Record<string, unknown>> }>(
        'whattomine/coins.json',
        (body) => {
          delete body.coins.Ravencoin?.difficulty;
          return body;
        },
      );
      const result = await collector(server).collect();
      assert.ok(!result.coins.some((c) => c.coin === 'RVN'));
      assert.match(
        result.warnings.join('\n'),
        /coins.json: 1 of 4 rows skipped; first: Ravencoin: difficulty/,
      );
      server.inject('whattomine', { kind: 'missing-fields', fields: ['exchange_rate'] });
      await rejectsWithSourceError(collector(server).collect(), 'SM_SOURCE_INVALID');
    });
  });

  it('maps injected faults on both files to source error codes', async () => {
    for (const [fault, code] of TRANSPORT_FAULTS) {
      await withReplayServer(async (server) => {
        server.inject('whattomine', fault);
        await rejectsWithSourceError(collector(server, faultHttpClient(fault)).collect(), code);
      });
    }
  });

  it('retries the one failed request and succeeds', async () => {
    await withReplayServer(async (server) => {
      server.inject('whattomine', { kind: 'status', status: 503 }, 1);
      const result = await collector(server).collect();
      assert.deepEqual(result.coins.map((c) => c.coin).sort(), ALL);
      assert.equal(server.requestCount('whattomine'), 3);
    });
  });
});
