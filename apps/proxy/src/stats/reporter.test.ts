import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { hashesPerShare } from '@smart-mining/stratum';
import { SIM_DIFFICULTY, waitFor } from '@smart-mining/testkit';
import { DuplexClient, type MemoryProxy, memoryProxy } from '../../test/memory-proxy.ts';
import { findShare } from '../../test/share-finder.ts';

let m: MemoryProxy | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

describe('miner reports and hashrate', () => {
  it('every reportIntervalS: each authorized miner with its counters, hashrate from accepted difficulty, USD/day', async () => {
    m = await memoryProxy({ timings: { reportIntervalS: 60 } });
    const { client, extranonce1 } = await m.miner('acct.rig1', 'p=max-profit,hw=cpu');
    const job = client.jobs().at(-1)!;
    for (let i = 0; i < 3; i++) {
      const s = findShare('sha256d', job, extranonce1, `00000${i}`, SIM_DIFFICULTY.sha256d);
      await client.request('mining.submit', ['acct.rig1', job.jobId, s.extranonce2, s.ntime, s.nonce]);
    }
    await client.request('mining.submit', ['acct.rig1', 'ffff', '000009', job.ntime, '00000000']);
    m.advance(60_000);
    await new Promise((resolve) => setImmediate(resolve));
    const batch = m.reports.minerBatches.at(-1)!;
    assert.equal(batch.length, 1);
    const r = batch[0]!;
    const expectedHs = (3 * hashesPerShare('sha256d', SIM_DIFFICULTY.sha256d)) / 60;
    assert.ok(Math.abs(r.hashrateHs / expectedHs - 1) < 1e-9, `${r.hashrateHs} vs ${expectedHs}`);
    assert.deepEqual(
      { ...r, connectedAt: undefined, hashrateHs: undefined, usdPerDay: undefined },
      {
        miner: 'acct.rig1',
        account: 'acct',
        worker: 'rig1',
        poolKey: 'a:BTC',
        coin: 'BTC',
        profile: 'max-profit',
        hardware: 'cpu',
        algorithm: 'sha256d',
        connectedAt: undefined,
        accepted: 3,
        rejected: 0,
        stale: 1,
        hashrateHs: undefined,
        usdPerDay: undefined,
        agent: 'test/1',
      },
    );
    assert.equal(r.usdPerDay, r.hashrateHs * 1e-12);
    // The decision is asked with the route's measured hashrate from then on.
    m.decisions.emit({ kind: 'rankings-changed' });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(m.decisions.asked.at(-1)?.route.hashrateHs, [r.hashrateHs]);
  });

  it('a miner on its own difficulty: each share counts at the difficulty it was judged at, forwarded or not', async () => {
    const pool = SIM_DIFFICULTY.sha256d * 16;
    const low = SIM_DIFFICULTY.sha256d / 4;
    m = await memoryProxy({
      timings: { reportIntervalS: 60 },
      pools: [{ poolKey: 'a:BTC', options: { difficulty: pool } }],
      listener: { limits: { messageBurst: 100_000 } },
    });
    const { client, extranonce1 } = await m.miner();
    const submit = async (jobId: string, s: { extranonce2: string; ntime: string; nonce: string }) =>
      DuplexClient.outcome(
        await client.request('mining.submit', ['acct.w1', jobId, s.extranonce2, s.ntime, s.nonce]),
      );
    const first = client.jobs().at(-1)!;
    await client.request('mining.suggest_difficulty', [low]);
    const jobs = client.jobs().length;
    m.pools.get('a:BTC')!.pushJob();
    await waitFor(() => client.jobs().length > jobs, { what: 'the next job' });
    const second = client.jobs().at(-1)!;
    // On the first job (sent at the pool's difficulty): one share, the pool's. On the second, at `low`: two,
    // one of which also meets the pool's and goes there.
    assert.equal(await submit(first.jobId, findShare('sha256d', first, extranonce1, '000001', pool)), true);
    assert.equal(await submit(second.jobId, findShare('sha256d', second, extranonce1, '000002', low)), true);
    assert.equal(await submit(second.jobId, findShare('sha256d', second, extranonce1, '000003', pool)), true);
    assert.equal(m.pools.get('a:BTC')!.shares.length, 2);
    m.advance(60_000);
    await new Promise((resolve) => setImmediate(resolve));
    const r = m.reports.minerBatches.at(-1)![0]!;
    const expectedHs = (hashesPerShare('sha256d', pool) + 2 * hashesPerShare('sha256d', low)) / 60;
    assert.ok(Math.abs(r.hashrateHs / expectedHs - 1) < 1e-9, `${r.hashrateHs} vs ${expectedHs}`);
    assert.equal(r.usdPerDay, r.hashrateHs * 1e-12);
  });

  it('a report the sink refuses is logged and the next period sends again', async () => {
    m = await memoryProxy({ timings: { reportIntervalS: 60 } });
    await m.miner();
    let calls = 0;
    m.reports.miners = async () => {
      calls++;
      throw new Error('API down');
    };
    m.advance(60_000);
    await new Promise((resolve) => setImmediate(resolve));
    m.advance(60_000);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(calls, 2);
  });
});
