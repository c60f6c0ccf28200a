// The 2Miners collector against the replay server: real HTTP, fixtures, injected faults.

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { type ReplayServer, startReplayServer } from '@smart-mining/testkit';
import type { SourceErrorCode } from '../../errors.ts';
import { FAULT_TIMEOUT_MS, rejectsWithSourceError, testHttpClient } from '../test-support.ts';
import { createTwoMinersCollector } from './client.ts';

const NOW = new Date('2024-02-16T16:40:00Z');

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());
afterEach(() => server.clearFaults());

function collector(coins: string[], feeFraction?: number, timeoutMs?: number) {
  return createTwoMinersCollector({
    http: testHttpClient(undefined, timeoutMs),
    urlTemplate: server.baseUrls.twominers,
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

describe('2miners collector (replay)', () => {
  it('ETC and RVN succeed; KAS (no fixture → 404) is a warning', async () => {
    const result = await collector(['ETC', 'RVN', 'KAS']).collect();
    assert.deepEqual(
      result.coins.map((c) => c.coin),
      ['ETC', 'RVN'],
    );
    const [etc, rvn] = result.coins;
    assert.equal(etc?.networkHashrateHs, 1.72e14);
    assert.equal(etc?.blockTimeS, 13.1);
    assert.equal(etc?.difficulty, 2.2532e15);
    assert.equal(rvn?.networkHashrateHs, 5400005115030);
    assert.equal(rvn?.blockTimeS, 60);
    const [etcPool, rvnPool] = result.pools;
    assert.equal(etcPool?.hashrateHs, 9412345678901);
    assert.equal(etcPool?.miners, 2417);
    assert.equal(etcPool?.workers, 6530);
    assert.equal(etcPool?.feeFraction, 0.01);
    assert.equal(etcPool?.lastBlockAt?.getTime(), 1708101160 * 1000);
    assert.equal(etcPool?.observedAt.getTime(), 1708101372000);
    assert.equal(rvnPool?.hashrateHs, 412345678901);
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0] ?? '', /KAS: skipped: .*HTTP 404/);
    const paths = server.requests.filter((r) => r.source === '2miners').map((r) => r.path);
    assert.ok(paths.includes('/etc/api/stats'), paths.join(' '));
    assert.ok(!paths.some((p) => p.endsWith('/blocks')), 'blocks are not read');
  });

  it('passes the configured fee through', async () => {
    const result = await collector(['ETC'], 0.015).collect();
    assert.equal(result.pools[0]?.feeFraction, 0.015);
  });

  it('HTTP 500 on every call → SM_SOURCE_HTTP naming the coins', async () => {
    server.inject('2miners', { kind: 'status', status: 500 });
    await rejectsWith(['ETC', 'RVN'], 'SM_SOURCE_HTTP');
  });

  it('429 on every attempt → SM_SOURCE_RATE_LIMITED', async () => {
    server.inject('2miners', { kind: 'rate-limit', retryAfterS: 0 });
    await rejectsWith(['ETC'], 'SM_SOURCE_RATE_LIMITED');
  });

  it('no answer → SM_SOURCE_TIMEOUT', async () => {
    server.inject('2miners', { kind: 'timeout' });
    await rejectsWith(['ETC'], 'SM_SOURCE_TIMEOUT', FAULT_TIMEOUT_MS);
  });

  it('truncated and garbage bodies → SM_SOURCE_INVALID', async () => {
    server.inject('2miners', { kind: 'truncated' });
    await rejectsWith(['ETC'], 'SM_SOURCE_INVALID');
    server.inject('2miners', { kind: 'garbage' });
    await rejectsWith(['ETC'], 'SM_SOURCE_INVALID');
  });

  it('numbers as strings → the same observations', async () => {
    const plain = await collector(['ETC', 'RVN']).collect();
    server.inject('2miners', { kind: 'numbers-as-strings' });
    const strings = await collector(['ETC', 'RVN']).collect();
    assert.deepEqual(strings, plain);
  });

  it('no `hashrate` → SM_SOURCE_INVALID', async () => {
    server.inject('2miners', { kind: 'missing-fields', fields: ['hashrate'] });
    await rejectsWith(['ETC'], 'SM_SOURCE_INVALID');
  });

  it('no `networkhashps` → pool observation kept, coin observation dropped with a warning', async () => {
    server.inject('2miners', { kind: 'missing-fields', fields: ['networkhashps'] });
    const result = await collector(['ETC']).collect();
    assert.equal(result.coins.length, 0);
    assert.equal(result.pools[0]?.hashrateHs, 9412345678901);
    assert.equal(result.pools[0]?.blockHeight, undefined, 'the height comes from the same, refused node');
    assert.match(result.warnings.join('\n'), /ETC \/stats: no coin observation: nodes\.0: networkhashps/);
  });

  it('one 503, then success: the retry recovers', async () => {
    server.inject('2miners', { kind: 'status', status: 503 }, 1);
    const before = server.requestCount('2miners');
    const result = await collector(['ETC']).collect();
    assert.deepEqual(result.warnings, []);
    assert.equal(result.coins[0]?.difficulty, 2.2532e15);
    assert.equal(server.requestCount('2miners') - before, 2);
  });
});
