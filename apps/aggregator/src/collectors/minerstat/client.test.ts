// The Minerstat collector against the replay server: key header, skip without key, refusals and every fault.

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { type ReplayServer, startReplayServer } from '@smart-mining/testkit';
import { FAULT_TIMEOUT_MS, rejectsWithSourceError, testHttpClient } from '../test-support.ts';
import { createMinerstatCollector, MINERSTAT_SKIP_REASON, type MinerstatCollectorDeps } from './client.ts';

const NOW = new Date('2024-02-16T17:00:00Z');

const http = testHttpClient;

describe('minerstat collector', () => {
  let server: ReplayServer;
  before(async () => {
    server = await startReplayServer();
  });
  after(() => server.close());
  afterEach(() => server.clearFaults());

  const collector = (extra: Partial<MinerstatCollectorDeps> = {}) =>
    createMinerstatCollector({
      http: http(),
      apiKey: 'test-key',
      baseUrl: server.baseUrls.minerstat,
      now: () => NOW,
      ...extra,
    });

  it('collects coins, hardware and pools with the key in X-API-Key', async () => {
    const before = server.requests.length;
    const result = await collector().collect();
    const requests = server.requests.slice(before);
    assert.deepEqual(
      requests.map((r) => r.path),
      ['/coins', '/hardware', '/pools'],
    );
    const list = new URLSearchParams(requests[0]?.query).get('list')?.split(',');
    assert.ok(list?.includes('BTC') && list.includes('KAS') && list.includes('ETC'));
    assert.deepEqual(result.warnings, []);
    assert.equal(result.coins.length, 8);
    const btc = result.coins.find((c) => c.coin === 'BTC');
    assert.ok(Math.abs((btc?.usdPerHsDay ?? 0) * 1e14 - 8.0219) <= 8.0219 * 1e-4);
    assert.equal(result.coins.find((c) => c.coin === 'KAS')?.networkHashrateHs, 1.7007956828705e17);
    const etchash = result.hardware.find(
      (h) => h.hardware === 'nvidia-rtx-3080' && h.algorithm === 'etchash',
    );
    assert.equal(etchash?.hashrateHs, 97.2e6);
    assert.equal(etchash?.powerW, 240);
    assert.deepEqual(etchash?.observedAt, NOW);
    assert.equal(result.pools.find((p) => p.pool === '2miners' && p.coin === 'ETC')?.feeFraction, 0.01);
  });

  it('without a key: skipReason set, collect() rejects SM_SOURCE_NO_KEY, no request made', async () => {
    const before = server.requestCount('minerstat');
    for (const apiKey of [undefined, '', '  ']) {
      const skipped = collector({ apiKey });
      assert.equal(skipped.source, 'minerstat');
      assert.equal(skipped.skipReason, MINERSTAT_SKIP_REASON);
      await rejectsWithSourceError(skipped.collect(), 'SM_SOURCE_NO_KEY', /MINERSTAT_API_KEY/);
    }
    assert.equal(server.requestCount('minerstat') - before, 0);
    assert.equal(collector().skipReason, undefined);
  });

  it('a key the server refuses (the real 401 route) → SM_SOURCE_API_ERROR naming a bad key', async () => {
    // Drops the header on the way out, so the replay server answers as Minerstat does to a missing key.
    const withoutKey: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      headers.delete('x-api-key');
      return fetch(input, { ...init, headers });
    };
    await rejectsWithSourceError(
      collector({ http: http(withoutKey) }).collect(),
      'SM_SOURCE_API_ERROR',
      /HTTP 401.*missing or bad/,
    );
  });

  for (const [status, meaning] of [
    [402, /quota used up/],
    [403, /subscription inactive/],
  ] as const) {
    it(`HTTP ${status} → SM_SOURCE_API_ERROR saying ${meaning.source}`, async () => {
      server.inject('minerstat', { kind: 'status', status });
      await rejectsWithSourceError(collector().collect(), 'SM_SOURCE_API_ERROR', meaning);
    });
  }

  it('HTTP 500 on /coins → SM_SOURCE_HTTP after the retries', async () => {
    const before = server.requestCount('minerstat');
    server.inject('minerstat', { kind: 'status', status: 500 });
    await rejectsWithSourceError(collector().collect(), 'SM_SOURCE_HTTP', /HTTP 500/);
    // Two attempts at /coins, and /hardware and /pools never asked for.
    assert.equal(server.requestCount('minerstat') - before, 2);
  });

  it('429 on every attempt → SM_SOURCE_RATE_LIMITED', async () => {
    server.inject('minerstat', { kind: 'rate-limit', retryAfterS: 0 });
    await rejectsWithSourceError(collector().collect(), 'SM_SOURCE_RATE_LIMITED');
  });

  it('no answer → SM_SOURCE_TIMEOUT', async () => {
    server.inject('minerstat', { kind: 'timeout' });
    const client = http(undefined, FAULT_TIMEOUT_MS);
    await rejectsWithSourceError(collector({ http: client }).collect(), 'SM_SOURCE_TIMEOUT');
  });

  for (const kind of ['truncated', 'garbage'] as const) {
    it(`${kind} body → SM_SOURCE_INVALID`, async () => {
      server.inject('minerstat', { kind });
      await rejectsWithSourceError(collector().collect(), 'SM_SOURCE_INVALID');
    });
  }

  it('numbers as strings → the same numbers', async () => {
    const plain = await collector().collect();
    server.inject('minerstat', { kind: 'numbers-as-strings' });
    const strung = await collector().collect();
    assert.deepEqual(strung, plain);
    assert.equal(strung.coins.find((c) => c.coin === 'BTC')?.difficulty, 81725299822043);
  });

  it('a required field missing from every coin row → SM_SOURCE_INVALID', async () => {
    server.inject('minerstat', { kind: 'missing-fields', fields: ['algorithm'] });
    await rejectsWithSourceError(collector().collect(), 'SM_SOURCE_INVALID', /every row invalid/);
  });

  it('an optional field missing → kept rows without it', async () => {
    server.inject('minerstat', { kind: 'missing-fields', fields: ['volume', 'power'] });
    const result = await collector().collect();
    assert.equal(result.coins.length, 8);
    assert.ok(result.coins.every((c) => !('volume24hUsd' in c)));
    assert.ok(result.hardware.length > 0 && result.hardware.every((h) => !('powerW' in h)));
  });

  it('hardware all bad → a warning, coins and pools still collected', async () => {
    server.inject('minerstat', { kind: 'missing-fields', fields: ['brand'] });
    const result = await collector().collect();
    assert.equal(result.coins.length, 8);
    assert.equal(result.pools.length, 5);
    assert.deepEqual(result.hardware, []);
    assert.match(result.warnings.join('\n'), /minerstat \/hardware skipped: SM_SOURCE_INVALID/);
  });

  it('one bad coin row → skipped with a warning, the others kept', async () => {
    const original = server.fixtures.get('minerstat/coins.json');
    server.updateFixture<Record<string, unknown>[]>('minerstat/coins.json', (rows) => {
      delete rows[4]!.algorithm;
      return rows;
    });
    try {
      const result = await collector().collect();
      assert.equal(result.coins.length, 7);
      assert.equal(
        result.coins.some((c) => c.coin === 'ETC'),
        false,
      );
      assert.match(result.warnings.join('\n'), /1 of 8 rows skipped; first: ETC: algorithm/);
    } finally {
      server.updateFixture('minerstat/coins.json', () => original);
    }
  });

  for (const path of ['/hardware', '/pools'] as const) {
    it(`a failing ${path} alone is a warning; the rest still collected`, async () => {
      // Arms the fault just before the first request to `path`: both of its attempts answer 503, the others pass.
      let armed = false;
      const spoilOne: typeof fetch = (input, init) => {
        if (!armed && new URL(String(input)).pathname.endsWith(path)) {
          armed = true;
          server.inject('minerstat', { kind: 'status', status: 503 }, 2);
        }
        return fetch(input, init);
      };
      const before = server.requestCount('minerstat');
      const result = await collector({ http: http(spoilOne) }).collect();
      assert.equal(server.requestCount('minerstat') - before, 4);
      assert.equal(result.coins.length, 8);
      assert.equal(result.hardware.length, path === '/hardware' ? 0 : 8);
      assert.equal(result.pools.length, path === '/pools' ? 0 : 5);
      assert.equal(result.warnings.length, 1);
      assert.match(result.warnings[0] ?? '', new RegExp(`minerstat ${path} skipped: SM_SOURCE_HTTP`));
    });
  }

  it('an answer without any of our coins fails the run and spends no call on hardware or pools', async () => {
    const original = server.fixtures.get('minerstat/coins.json');
    server.updateFixture('minerstat/coins.json', () => []);
    const before = server.requestCount('minerstat');
    try {
      await rejectsWithSourceError(collector().collect(), 'SM_SOURCE_EMPTY', /no tracked coin/);
    } finally {
      server.updateFixture('minerstat/coins.json', () => original);
    }
    assert.equal(server.requestCount('minerstat') - before, 1);
  });
});
