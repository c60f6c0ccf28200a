// The Nanopool collector against the replay server: real HTTP, fixtures, injected faults.

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { type ReplayServer, startReplayServer } from '@smart-mining/testkit';
import type { SourceErrorCode } from '../../errors.ts';
import { FAULT_TIMEOUT_MS, rejectsWithSourceError, testHttpClient } from '../test-support.ts';
import { createNanopoolCollector } from './client.ts';

const NOW = new Date('2024-02-16T16:36:12Z');
const close = (actual: number | undefined, expected: number, rel = 1e-6) =>
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) <= Math.abs(expected) * rel,
    `${actual} ≉ ${expected}`,
  );

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());
afterEach(() => server.clearFaults());

function collector(
  coins: string[],
  feeFraction?: number,
  timeoutMs?: number,
  fetch?: typeof globalThis.fetch,
) {
  return createNanopoolCollector({
    http: testHttpClient(fetch, timeoutMs),
    urlTemplate: server.baseUrls.nanopool,
    coins,
    now: () => NOW,
    ...(feeFraction !== undefined ? { feeFraction } : {}),
  });
}

/** Every coin failed: the run fails with `code` and its message names each coin. */
async function rejectsWith(coins: string[], code: SourceErrorCode, timeoutMs?: number): Promise<void> {
  const error = await rejectsWithSourceError(collector(coins, undefined, timeoutMs).collect(), code);
  for (const coin of coins) assert.match(error.message, new RegExp(`\\b${coin}\\b`));
}

describe('nanopool collector (replay)', () => {
  it('ETC: coin and pool observations in H/s, USD and seconds, asked at 1000 MH/s', async () => {
    const result = await collector(['ETC']).collect();
    assert.deepEqual(result.warnings, []);
    const [coin] = result.coins;
    close((coin?.usdPerHsDay ?? 0) * 1e8, 0.27103188);
    assert.equal(coin?.priceUsd, 27.61);
    assert.equal(coin?.blockTimeS, 13.1);
    assert.equal(coin?.observedAt, NOW);
    const [pool] = result.pools;
    assert.equal(pool?.hashrateHs, 4823456.7e6);
    assert.equal(pool?.miners, 1874);
    assert.equal(pool?.workers, 4312);
    assert.equal(pool?.feeFraction, 0.01);
    assert.equal(pool?.endpoints?.[0]?.host, 'etc-eu1.nanopool.org');
    const paths = server.requests.filter((r) => r.source === 'nanopool').map((r) => r.path);
    assert.ok(paths.includes('/etc/approximated_earnings/1000'), paths.join(' '));
  });

  it('keeps what each coin has: XMR earnings only, RVN and KAS become warnings', async () => {
    const before = server.requestCount('nanopool');
    const result = await collector(['ETC', 'XMR', 'RVN', 'KAS'], 0.02).collect();
    assert.deepEqual(
      result.coins.map((c) => c.coin),
      ['ETC', 'XMR'],
    );
    assert.deepEqual(
      result.pools.map((p) => [p.coin, p.feeFraction]),
      [['ETC', 0.02]],
    );
    const xmr = result.coins[1];
    close((xmr?.usdPerHsDay ?? 0) * 1e4, 0.21069741);
    assert.equal(xmr?.priceUsd, 124.37);
    const text = result.warnings.join('\n');
    assert.match(text, /XMR: blockTimeS left out: .*Account not found/);
    assert.match(text, /XMR: no pool observation/);
    assert.match(text, /RVN: skipped: .*Account not found/);
    assert.match(text, /KAS: skipped: no Nanopool hashrate unit/);
    const kasCalls = server.requests.slice(before).filter((r) => r.path.startsWith('/kas/'));
    assert.equal(kasCalls.length, 0, 'a coin without a display unit is not asked for');
  });

  it('HTTP 500 on every call → SM_SOURCE_HTTP naming the coins', async () => {
    server.inject('nanopool', { kind: 'status', status: 500 });
    await rejectsWith(['ETC', 'XMR'], 'SM_SOURCE_HTTP');
  });

  it('429 on every attempt → SM_SOURCE_RATE_LIMITED', async () => {
    server.inject('nanopool', { kind: 'rate-limit', retryAfterS: 0 });
    await rejectsWith(['ETC'], 'SM_SOURCE_RATE_LIMITED');
  });

  it('no answer → SM_SOURCE_TIMEOUT, without trying the other calls of the coin', async () => {
    server.inject('nanopool', { kind: 'timeout' });
    const before = server.requestCount('nanopool');
    await rejectsWith(['ETC'], 'SM_SOURCE_TIMEOUT', FAULT_TIMEOUT_MS);
    assert.equal(server.requestCount('nanopool') - before, 2, 'one call, two attempts');
  });

  it('truncated and garbage bodies → SM_SOURCE_INVALID', async () => {
    server.inject('nanopool', { kind: 'truncated' });
    await rejectsWith(['ETC'], 'SM_SOURCE_INVALID');
    server.inject('nanopool', { kind: 'garbage' });
    await rejectsWith(['ETC'], 'SM_SOURCE_INVALID');
  });

  it('numbers as strings → the same observations', async () => {
    const plain = await collector(['ETC']).collect();
    server.inject('nanopool', { kind: 'numbers-as-strings' });
    const strings = await collector(['ETC']).collect();
    assert.deepEqual(strings, plain);
  });

  it('earnings without `dollars` → pool observation kept, coin observation dropped with a warning', async () => {
    server.inject('nanopool', { kind: 'missing-fields', fields: ['dollars'] });
    const result = await collector(['ETC']).collect();
    assert.equal(result.coins.length, 0);
    assert.equal(result.pools[0]?.hashrateHs, 4823456.7e6);
    assert.match(result.warnings.join('\n'), /ETC: no coin observation: .*dollars/);
  });

  it('every body without `data` → SM_SOURCE_INVALID', async () => {
    server.inject('nanopool', { kind: 'missing-fields', fields: ['data'] });
    await rejectsWith(['ETC'], 'SM_SOURCE_INVALID');
  });

  it('one 503, then success: the retry recovers', async () => {
    server.inject('nanopool', { kind: 'status', status: 503 }, 1);
    const before = server.requestCount('nanopool');
    const result = await collector(['ETC']).collect();
    assert.deepEqual(result.warnings, []);
    assert.equal(result.coins.length, 1);
    assert.equal(result.pools[0]?.workers, 4312);
    assert.equal(server.requestCount('nanopool') - before, 6, 'five calls plus one retry');
  });

  it('a 404 on one endpoint keeps the earnings, price and pool already fetched, and names what is missing', async () => {
    const missingBlockTime: typeof globalThis.fetch = (input, init) =>
      String(input).endsWith('/etc/network/avgblocktime')
        ? Promise.resolve(new Response('{"error":"Not found"}', { status: 404 }))
        : fetch(input, init);
    const result = await collector(['ETC'], undefined, undefined, missingBlockTime).collect();
    assert.equal(result.coins[0]?.priceUsd, 27.61);
    close((result.coins[0]?.usdPerHsDay ?? 0) * 1e8, 0.27103188);
    assert.equal(result.coins[0]?.blockTimeS, undefined);
    assert.equal(result.pools[0]?.workers, 4312, 'the pool calls still run after a 404');
    assert.match(result.warnings.join('\n'), /ETC: blockTimeS left out: .*HTTP 404/);
  });

  it('a timeout after the earnings arrived keeps them and asks nothing more of that coin', async () => {
    const before = server.requestCount('nanopool');
    const hangs: typeof globalThis.fetch = (input, init) =>
      String(input).endsWith('/etc/network/avgblocktime')
        ? Promise.reject(Object.assign(new Error('timed out'), { name: 'TimeoutError' }))
        : fetch(input, init);
    const result = await collector(['ETC'], undefined, undefined, hangs).collect();
    assert.equal(result.coins[0]?.priceUsd, 27.61);
    assert.deepEqual(result.pools, []);
    assert.match(result.warnings.join('\n'), /ETC: blockTimeS left out: .*no answer/);
    assert.equal(server.requestCount('nanopool') - before, 1, 'only the earnings call reached the server');
  });
});
