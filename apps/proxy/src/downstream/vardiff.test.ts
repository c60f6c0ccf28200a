import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { hashesPerShare } from '@smart-mining/stratum';
import { SIM_DIFFICULTY, waitFor } from '@smart-mining/testkit';
import { DuplexClient, type MemoryProxy, memoryProxy, secondsThenAJob } from '../../test/memory-proxy.ts';
import { findShare } from '../../test/share-finder.ts';
import { listenerConfig } from '../config.ts';
import { nextDifficulty, VARDIFF } from './vardiff.ts';

describe('vardiff: the next difficulty', () => {
  const { maxStep, windowS } = VARDIFF;
  const config = { targetShareS: 15, minDifficulty: 1e-9 };

  it('aims at one share every targetShareS: powers of two, at most maxStep a step, never under minDifficulty', () => {
    // 16 shares in a minute at 64: one every 3.75 s, four times the aim's rate: the difficulty goes up 4×.
    assert.equal(nextDifficulty(64, 16, 60, config), 256);
    assert.equal(nextDifficulty(64, 0, 60, config), 64 / maxStep, 'no share: down by the step');
    assert.equal(nextDifficulty(64, 1000, 60, config), 64 * maxStep, 'a flood: up by the step');
    // An ideal of 100 × 12 × 15 / 60 = 300 is a step of 3×: the nearest power of two, 256.
    assert.equal(nextDifficulty(100, 12, 60, config), 256);
    assert.equal(nextDifficulty(64, 0, 60, { ...config, minDifficulty: 50 }), 50, 'the floor');
  });

  it('within a factor of 2 of the aim it stays: a minute of shares varies that much by chance', () => {
    const onAim = windowS / config.targetShareS;
    assert.equal(nextDifficulty(64, onAim, windowS, config), 64);
    assert.equal(nextDifficulty(64, onAim * 1.9, windowS, config), 64);
    assert.equal(nextDifficulty(64, onAim / 1.9, windowS, config), 64);
    assert.equal(nextDifficulty(64, onAim * 2, windowS, config), 128);
    assert.equal(nextDifficulty(64, onAim / 2, windowS, config), 32);
  });

  it('the default floor is a share of 2^20 hashes in each algorithm’s units', () => {
    for (const algorithm of ['sha256d', 'scrypt'] as const) {
      const hashes = hashesPerShare(algorithm, listenerConfig({ algorithm }).vardiff.minDifficulty);
      assert.ok(Math.abs(hashes / 2 ** 20 - 1) < 1e-9, `${algorithm}: ${hashes}`);
    }
  });
});

let m: MemoryProxy | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

const POOL = SIM_DIFFICULTY.sha256d * 1024;
describe('vardiff: a miner that states no difficulty', () => {
  it('without shares its difficulty steps down from the pool’s each minute; a share under the pool’s is then accepted here', async () => {
    m = await memoryProxy({
      pools: [{ poolKey: 'a:BTC', options: { difficulty: POOL } }],
      listener: { vardiff: { minDifficulty: POOL / 2 ** 10 } },
    });
    const { client, extranonce1 } = await m.miner();
    assert.equal(client.difficulty(), POOL);
    await secondsThenAJob(m, client, VARDIFF.windowS);
    assert.equal(client.difficulty(), POOL / VARDIFF.maxStep);
    await secondsThenAJob(m, client, VARDIFF.windowS);
    const low = POOL / VARDIFF.maxStep ** 2;
    assert.equal(client.difficulty(), low);
    const job = client.jobs().at(-1)!;
    const share = findShare('sha256d', job, extranonce1, '000001', low);
    assert.equal(DuplexClient.outcome(await client.submit(job.jobId, share)), true);
    assert.equal(m.proxy.miners()[0]?.accepted, 1);
  });

  it('one finding shares fast enough at the pool’s difficulty stays there', async () => {
    m = await memoryProxy({
      pools: [{ poolKey: 'a:BTC', options: { difficulty: SIM_DIFFICULTY.sha256d } }],
      listener: {
        limits: { messageBurst: 100_000 },
        vardiff: { minDifficulty: SIM_DIFFICULTY.sha256d / 2 ** 10 },
      },
    });
    const { client, extranonce1 } = await m.miner();
    const job = client.jobs().at(-1)!;
    // Eight shares a minute: twice the aim, so the ideal is above the pool's, which caps it.
    for (let i = 0; i < 8; i++) {
      const share = findShare('sha256d', job, extranonce1, `00000${i}`, SIM_DIFFICULTY.sha256d);
      await client.submit(job.jobId, share);
    }
    const sent = client.calls('mining.set_difficulty').length;
    await secondsThenAJob(m, client, VARDIFF.windowS);
    assert.equal(client.difficulty(), SIM_DIFFICULTY.sha256d);
    assert.equal(client.calls('mining.set_difficulty').length, sent, 'no set_difficulty: nothing changed');
  });

  it('vardiff targetShareS 0: the pool’s difficulty stays', async () => {
    m = await memoryProxy({
      pools: [{ poolKey: 'a:BTC', options: { difficulty: POOL } }],
      listener: { vardiff: { targetShareS: 0, minDifficulty: POOL / 2 ** 10 } },
    });
    const { client } = await m.miner();
    await secondsThenAJob(m, client, VARDIFF.windowS);
    assert.equal(client.difficulty(), POOL);
  });

  it('one with d= or a suggestion keeps its own', async () => {
    m = await memoryProxy({
      pools: [{ poolKey: 'a:BTC', options: { difficulty: POOL } }],
      listener: { vardiff: { minDifficulty: POOL / 2 ** 10 } },
    });
    const fixed = await m.miner('acct.w1', `d=${POOL / 2}`);
    const suggested = m.connect();
    await suggested.request('mining.subscribe', ['bitaxe']);
    await suggested.request('mining.suggest_difficulty', [POOL / 3]);
    await suggested.request('mining.authorize', ['acct.w2', 'x']);
    await waitFor(() => suggested.jobs().length > 0, { what: 'the suggesting miner’s first job' });
    await secondsThenAJob(m, fixed.client, VARDIFF.windowS);
    await waitFor(() => suggested.jobs().length > 1, { what: 'its next job' });
    assert.equal(fixed.client.difficulty(), POOL / 2);
    assert.equal(suggested.difficulty(), POOL / 3);
  });

  it('a minute in which its pool connection was down gave it no work: the difficulty stays', async () => {
    m = await memoryProxy({
      pools: [{ poolKey: 'a:BTC', options: { difficulty: POOL } }],
      listener: { vardiff: { minDifficulty: POOL / 2 ** 10 } },
      timings: { reconnectMinMs: 1, reconnectMaxMs: 2 },
    });
    const { client } = await m.miner();
    const pool = m.pools.get('a:BTC')!;
    const proxy = m.proxy;
    // Dropped, and every connection after it left without an answer: no job for three minutes.
    pool.stall();
    pool.dropConnections();
    await waitFor(() => proxy.summary().upstreams.every((u) => u.state !== 'ready'), {
      what: 'the pool down',
    });
    for (let i = 0; i < 3 * VARDIFF.windowS; i++) m.advance(1000);
    const jobs = client.jobs().length;
    pool.resume();
    pool.dropConnections();
    await waitFor(() => client.jobs().length > jobs, { what: 'a job after the outage' });
    assert.equal(client.difficulty(), POOL);
  });

  it('shares found at the difficulty in force count at it, not at a change still waiting for the next job', async () => {
    m = await memoryProxy({
      pools: [{ poolKey: 'a:BTC', options: { difficulty: POOL } }],
      listener: { vardiff: { minDifficulty: POOL / 2 ** 10 } },
    });
    const { client, extranonce1 } = await m.miner();
    // A minute without a share: a quarter of the pool's is due with the next job, which does not come.
    for (let i = 0; i < VARDIFF.windowS; i++) m.advance(1000);
    const job = client.jobs().at(-1)!;
    const share = findShare('sha256d', job, extranonce1, '000001', POOL);
    assert.equal(DuplexClient.outcome(await client.submit(job.jobId, share)), true);
    // One share in a minute at the pool's difficulty: four a minute at a quarter of it, the aim.
    await secondsThenAJob(m, client, VARDIFF.windowS);
    assert.equal(client.difficulty(), POOL / 4);
  });
});
