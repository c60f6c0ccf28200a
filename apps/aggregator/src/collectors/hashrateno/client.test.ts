// The hashrate.no collector against the replay server: apiKey query, hard caching, error bodies and every fault.

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { fixture, type ReplayServer, startReplayServer } from '@smart-mining/testkit';
import type { SourceErrorCode } from '../../errors.ts';
import { createMemoryCache, type ResponseCache } from '../response-cache.ts';
import { FAULT_TIMEOUT_MS, rejectsWithSourceError, testHttpClient } from '../test-support.ts';
import { createHashratenoCollector, HASHRATENO_SKIP_REASON, type HashratenoCollectorDeps } from './client.ts';

const KEY = 'secret-key-123';
const T0 = new Date('2024-02-16T16:36:12Z');
const HOUR_MS = 3_600_000;

const http = testHttpClient;

/** The shared check, plus: the API key never appears in an error message. */
async function rejectsWith(
  promise: Promise<unknown>,
  code: SourceErrorCode,
  message?: RegExp,
): Promise<void> {
  const error = await rejectsWithSourceError(promise, code, message);
  assert.ok(!error.message.includes(KEY), `key leaked: ${error.message}`);
}

/** A clock the test moves by hand, to age cache entries. */
function clock(start = T0) {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance: (ms: number): void => {
      t += ms;
    },
  };
}

describe('hashrate.no collector', () => {
  let server: ReplayServer;
  before(async () => {
    server = await startReplayServer();
  });
  after(() => server.close());
  afterEach(() => server.clearFaults());

  const collector = (extra: Partial<HashratenoCollectorDeps> = {}) =>
    createHashratenoCollector({
      http: http(),
      apiKey: KEY,
      baseUrl: server.baseUrls.hashrateno,
      now: () => T0,
      ...extra,
    });
  /** Requests to hashrate.no since `from`, as `path?coin`, without the key. */
  const requestsSince = (from: number) =>
    server.requests
      .slice(from)
      .filter((r) => r.source === 'hashrateno')
      .map((r) => {
        const coin = new URLSearchParams(r.query).get('coin');
        return coin ? `${r.path}?coin=${coin}` : r.path;
      });

  it('collects coins and RVN benchmarks; each other benchmark coin is a warning', async () => {
    const from = server.requests.length;
    const result = await collector().collect();
    assert.deepEqual(requestsSince(from), [
      '/coins',
      '/benchmarks?coin=RVN',
      '/benchmarks?coin=ETC',
      '/benchmarks?coin=ERG',
      '/benchmarks?coin=KAS',
    ]);
    assert.ok(server.requests.slice(from).every((r) => new URLSearchParams(r.query).get('apiKey') === KEY));
    const etc = result.coins.find((c) => c.coin === 'ETC');
    assert.equal(etc?.priceUsd, 27.61);
    assert.deepEqual(etc?.observedAt, T0);
    assert.equal(result.coins.length, 5);
    const rtx4090 = result.hardware.find((h) => h.hardware === 'nvidia-rtx-4090');
    assert.equal(rtx4090?.algorithm, 'kawpow');
    assert.equal(rtx4090?.hashrateHs, 130e6);
    assert.equal(rtx4090?.powerW, 330);
    assert.equal(result.hardware.length, 2);
    assert.deepEqual(result.pools, []);
    assert.equal(result.warnings.length, 3);
    for (const coin of ['ETC', 'ERG', 'KAS']) {
      assert.match(
        result.warnings.join('\n'),
        new RegExp(`${coin} skipped: SM_SOURCE_API_ERROR.*Unknown coin`),
      );
    }
  });

  it('without a key: skipReason set, collect() rejects SM_SOURCE_NO_KEY, no request made', async () => {
    const before = server.requestCount('hashrateno');
    const skipped = collector({ apiKey: undefined });
    assert.equal(skipped.skipReason, HASHRATENO_SKIP_REASON);
    await rejectsWith(skipped.collect(), 'SM_SOURCE_NO_KEY', /HASHRATENO_API_KEY/);
    assert.equal(server.requestCount('hashrateno') - before, 0);
  });

  it('two collects within the TTLs → one request per endpoint, same observations', async () => {
    const time = clock();
    const c = collector({ now: time.now });
    const from = server.requests.length;
    const first = await c.collect();
    time.advance(11 * HOUR_MS);
    const second = await c.collect();
    assert.equal(requestsSince(from).length, 5);
    assert.deepEqual(second.coins, first.coins);
    assert.deepEqual(second.hardware, first.hardware);
    // Refused coins are remembered too, so they do not cost a call every run; the warning stays.
    assert.equal(second.warnings.length, 3);
    assert.match(second.warnings[0] ?? '', /Unknown coin \(answer cached 2024-02-16T16:36:12\.000Z\)/);
  });

  it('an expired TTL → a new request for that endpoint only, observed at the new fetch', async () => {
    const time = clock();
    const c = collector({ now: time.now });
    await c.collect();
    time.advance(12 * HOUR_MS + 1000);
    let from = server.requests.length;
    const later = await c.collect();
    assert.deepEqual(requestsSince(from), ['/coins']);
    assert.deepEqual(later.coins[0]?.observedAt, time.now());
    assert.deepEqual(later.hardware[0]?.observedAt, T0);
    time.advance(7 * 24 * HOUR_MS);
    from = server.requests.length;
    await c.collect();
    assert.equal(requestsSince(from).length, 5);
  });

  it('short TTLs given to the factory are honoured', async () => {
    const time = clock();
    const c = collector({ now: time.now, coinsTtlS: 60, benchmarksTtlS: 120, benchmarkCoins: ['RVN'] });
    await c.collect();
    time.advance(61_000);
    const from = server.requests.length;
    await c.collect();
    assert.deepEqual(requestsSince(from), ['/coins']);
  });

  it('cache keys hold no API key; a fresh entry from a shared cache answers without any call', async () => {
    const keys: string[] = [];
    const memory = createMemoryCache();
    const spy: ResponseCache = {
      get: (key) => memory.get(key),
      set: (key, entry) => {
        keys.push(key);
        return memory.set(key, entry);
      },
    };
    await collector({ cache: spy }).collect();
    const base = server.baseUrls.hashrateno;
    assert.deepEqual(keys.sort(), [
      `${base}/benchmarks?coin=ERG`,
      `${base}/benchmarks?coin=ETC`,
      `${base}/benchmarks?coin=KAS`,
      `${base}/benchmarks?coin=RVN`,
      `${base}/coins`,
    ]);
    assert.ok(keys.every((k) => !k.includes(KEY) && !k.includes('apiKey')));
    // A second instance (a restart) over the same cache spends nothing.
    const from = server.requests.length;
    const again = await collector({ cache: spy, now: () => new Date(T0.getTime() + HOUR_MS) }).collect();
    assert.deepEqual(requestsSince(from), []);
    assert.equal(again.coins.find((c) => c.coin === 'ETC')?.priceUsd, 27.61);
  });

  it('a benchmark coin the domain does not know is a warning and costs no call', async () => {
    const from = server.requests.length;
    const result = await collector({ benchmarkCoins: ['RVN', 'NOPE'] }).collect();
    assert.deepEqual(requestsSince(from), ['/coins', '/benchmarks?coin=RVN']);
    assert.match(result.warnings.join('\n'), /NOPE is not a coin we know/);
  });

  it('a key the server refuses (the real 401 route) → SM_SOURCE_API_ERROR with its title and detail', async () => {
    // Blanks the key on the way out, so the replay server answers with its recorded 401 error body.
    const blankKey: typeof fetch = (input, init) =>
      fetch(String(input).replace(/apiKey=[^&]*/, 'apiKey='), init);
    await rejectsWith(
      collector({ http: http(blankKey) }).collect(),
      'SM_SOURCE_API_ERROR',
      /Unauthorized: Invalid API key \(HTTP 401\)/,
    );
  });

  it('an error body with HTTP 200 → SM_SOURCE_API_ERROR, and it is not cached', async () => {
    const original = server.fixtures.get('hashrate_no/coins.json');
    const c = collector({ benchmarkCoins: [] });
    server.updateFixture('hashrate_no/coins.json', () => fixture('hashrate_no/error_invalid_key.json'));
    try {
      await rejectsWith(c.collect(), 'SM_SOURCE_API_ERROR', /Invalid API key \(HTTP 200\)/);
    } finally {
      server.updateFixture('hashrate_no/coins.json', () => original);
    }
    const from = server.requests.length;
    assert.equal((await c.collect()).coins.length, 5);
    assert.deepEqual(requestsSince(from), ['/coins']);
  });

  it('HTTP 500 → SM_SOURCE_HTTP, key redacted', async () => {
    server.inject('hashrateno', { kind: 'status', status: 500 });
    await rejectsWith(collector().collect(), 'SM_SOURCE_HTTP', /HTTP 500/);
  });

  it('429 on every attempt → SM_SOURCE_RATE_LIMITED', async () => {
    server.inject('hashrateno', { kind: 'rate-limit', retryAfterS: 0 });
    await rejectsWith(collector().collect(), 'SM_SOURCE_RATE_LIMITED');
  });

  it('no answer → SM_SOURCE_TIMEOUT', async () => {
    server.inject('hashrateno', { kind: 'timeout' });
    await rejectsWith(collector({ http: http(undefined, FAULT_TIMEOUT_MS) }).collect(), 'SM_SOURCE_TIMEOUT');
  });

  for (const kind of ['truncated', 'garbage'] as const) {
    it(`${kind} body → SM_SOURCE_INVALID, and the next run asks again`, async () => {
      const c = collector();
      server.inject('hashrateno', { kind }, 1);
      await rejectsWith(c.collect(), 'SM_SOURCE_INVALID');
      assert.equal((await c.collect()).coins.length, 5);
    });
  }

  it('numbers as strings → the same numbers', async () => {
    const plain = await collector().collect();
    server.inject('hashrateno', { kind: 'numbers-as-strings' });
    const strung = await collector().collect();
    assert.deepEqual(strung, plain);
  });

  it('a required field missing from every coin → SM_SOURCE_INVALID, nothing cached', async () => {
    const c = collector({ benchmarkCoins: [] });
    server.inject('hashrateno', { kind: 'missing-fields', fields: ['USD'] }, 1);
    await rejectsWith(c.collect(), 'SM_SOURCE_INVALID', /every row invalid.*price\.USD/);
    const from = server.requests.length;
    assert.equal((await c.collect()).coins.length, 5);
    assert.deepEqual(requestsSince(from), ['/coins']);
  });

  it('an optional field missing → coins kept without it', async () => {
    server.inject('hashrateno', { kind: 'missing-fields', fields: ['difficulty'] });
    const result = await collector({ benchmarkCoins: [] }).collect();
    assert.equal(result.coins.length, 5);
    assert.ok(result.coins.every((c) => !('difficulty' in c) && c.networkHashrateHs));
  });

  it('benchmark rows all bad → a warning, coins still collected', async () => {
    server.inject('hashrateno', { kind: 'missing-fields', fields: ['brandID'] });
    const result = await collector({ benchmarkCoins: ['RVN'] }).collect();
    assert.equal(result.coins.length, 5);
    assert.deepEqual(result.hardware, []);
    assert.match(result.warnings.join('\n'), /benchmarks for RVN skipped: SM_SOURCE_INVALID/);
  });

  it('an answer without one of our coins fails the run (SM_SOURCE_EMPTY), is not cached, and is asked again', async () => {
    const original = server.fixtures.get('hashrate_no/coins.json');
    const c = collector({ benchmarkCoins: [] });
    server.updateFixture('hashrate_no/coins.json', () => ({}));
    try {
      await rejectsWith(c.collect(), 'SM_SOURCE_EMPTY', /no tracked coin/);
    } finally {
      server.updateFixture('hashrate_no/coins.json', () => original);
    }
    const from = server.requests.length;
    assert.equal((await c.collect()).coins.length, 5);
    assert.deepEqual(requestsSince(from), ['/coins']);
  });

  it('an empty body already in the cache (kept by an older version) is a miss, not an answer', async () => {
    const cache = createMemoryCache();
    await cache.set(`${server.baseUrls.hashrateno}/coins`, { fetchedAt: T0, body: {} });
    const from = server.requests.length;
    const result = await collector({ cache, benchmarkCoins: [] }).collect();
    assert.equal(result.coins.length, 5);
    assert.deepEqual(requestsSince(from), ['/coins']);
  });

  it('a benchmarks answer without a usable device is a warning and is not cached', async () => {
    const c = collector({ benchmarkCoins: ['RVN'] });
    const original = server.fixtures.get('hashrate_no/benchmarks_RVN.json');
    server.updateFixture<Record<string, { hashrate: string }>>('hashrate_no/benchmarks_RVN.json', (body) => {
      for (const device of Object.values(body)) device.hashrate = '0';
      return body;
    });
    try {
      const first = await c.collect();
      assert.deepEqual(first.hardware, []);
      assert.match(first.warnings.join('\n'), /benchmarks for RVN: no usable device \(not cached\)/);
    } finally {
      server.updateFixture('hashrate_no/benchmarks_RVN.json', () => original);
    }
    const from = server.requests.length;
    const again = await c.collect();
    assert.deepEqual(requestsSince(from), ['/benchmarks?coin=RVN']);
    assert.equal(again.hardware.length, 2);
  });

  it('a cached answer carries the time it was fetched, never the time it was read back', async () => {
    const time = clock();
    const c = collector({ now: time.now, benchmarkCoins: [] });
    await c.collect();
    time.advance(3 * HOUR_MS);
    const cached = await c.collect();
    assert.ok(cached.coins.every((o) => o.observedAt.getTime() === T0.getTime()));
  });
});
