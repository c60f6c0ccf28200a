// Pools whose extranonce2_size leaves less than the miners' n2′ (k + n2′ > n2_up, stratum.md §2.4, §8.4 #1), and a
// pool that gives a new extranonce1 on every connection (it ignores the session id the proxy resumes with).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitFor } from '@smart-mining/testkit';
import { notifyLine, scriptJob } from './script-pool.ts';
import { outcome, shapedPool, useScriptProxy } from './script-proxy.ts';
import { findShare } from './share-finder.ts';

const sp = useScriptProxy();

const calls = (m: { client: { messages: unknown[] } }, method: string) =>
  m.client.messages.filter(
    (x) => typeof x === 'object' && x !== null && 'method' in x && x.method === method,
  ) as {
    params: unknown[];
  }[];

describe('a pool with a small extranonce2_size', () => {
  // 2 would leave the miner 1 byte, under what cgminer takes: such a pool is marked down (route.test.ts).
  for (const n2 of [3]) {
    it(`extranonce2_size ${n2}: set_extranonce to ${n2 - 1} for miners that subscribed to it, client.reconnect for the others; both mine`, async () => {
      const pool = await shapedPool({ extranonce2Size: n2 });
      await sp.start(pool);
      const opt = await sp.miner('acct.opt', true);
      const told = await waitFor(() => calls(opt, 'mining.set_extranonce')[0], { timeoutMs: 10_000 });
      assert.deepEqual(told.params, [opt.extranonce1, n2 - 1]);
      const job = await waitFor(() => opt.jobs().at(-1), { timeoutMs: 10_000 });
      const xn2 = 'cc'.repeat(n2 - 1);
      const share = findShare('sha256d', job.params, opt.extranonce1, xn2, job.difficulty);
      assert.equal(outcome(await opt.submit(job.params.jobId, share)), true);
      assert.equal(pool.submitted()[2], `${opt.extranonce1}${xn2}`);

      const cpu = await sp.miner('acct.cpu');
      const reconnect = await waitFor(() => calls(cpu, 'client.reconnect')[0], { timeoutMs: 10_000 });
      assert.deepEqual(reconnect.params, ['127.0.0.1', sp.h.port, 0]);
      const again = await sp.miner('acct.cpu');
      assert.equal(again.extranonce2Size, n2 - 1);
      const next = await waitFor(() => again.jobs().at(-1), { timeoutMs: 10_000 });
      const found = findShare(
        'sha256d',
        next.params,
        again.extranonce1,
        'dd'.repeat(n2 - 1),
        next.difficulty,
      );
      assert.equal(outcome(await again.submit(next.params.jobId, found)), true);
    });
  }
});

describe('a pool that ignores the session id', () => {
  it('a new extranonce1 on the next connection: miners get a clean job with it, and their shares are accepted', async () => {
    let connections = 0;
    const pool = await shapedPool({
      subscribeResult: (_e1, n2) => [[['mining.notify', `s${++connections}`]], `e000000${connections}`, n2],
    });
    await sp.start(pool, { timings: { reconnectMinMs: 1, reconnectMaxMs: 10 } });
    const m = await sp.miner();
    await waitFor(() => m.jobs().at(-1)?.params.coinb1.includes('e0000001'), { timeoutMs: 10_000 });
    const resumedWith = pool.requests('mining.subscribe')[0];
    pool.open[0]!.socket.destroy();
    const second = await waitFor(() => pool.connections[1], { timeoutMs: 10_000 });
    await waitFor(() => second.requests.some((r) => r.method === 'mining.authorize'), { timeoutMs: 10_000 });
    assert.deepEqual(second.requests.find((r) => r.method === 'mining.subscribe')?.params, [
      'smart-mining-proxy/0.1',
      's1',
    ]);
    assert.ok(resumedWith !== undefined);
    const job = await waitFor(() => m.jobs().find((j) => j.params.coinb1.includes('e0000002')), {
      timeoutMs: 10_000,
    });
    assert.equal(job.params.cleanJobs, true);
    const share = findShare('sha256d', job.params, m.extranonce1, '0000ee', job.difficulty);
    assert.equal(outcome(await m.submit(job.params.jobId, share)), true);
    second.say(notifyLine(scriptJob('later', { cleanJobs: false })));
    await waitFor(() => m.jobs().at(-1)?.params.cleanJobs === false, { timeoutMs: 10_000 });
  });
});

describe('a share whose extranonce2 has a size the miner was never given', () => {
  it('an empty extranonce2 is refused as the wrong size (20) and never reaches the pool, even when its hash meets the target', async () => {
    const pool = await shapedPool();
    await sp.start(pool);
    const m = await sp.miner('acct.rig1');
    const job = await waitFor(() => m.jobs().at(-1), { timeoutMs: 10_000 });
    // The coinbase an empty extranonce2 would make: the miner's n2′ bytes become filler before X.
    const asIfEmpty = { ...job.params, coinb1: job.params.coinb1 + '00'.repeat(m.extranonce2Size) };
    const share = findShare('sha256d', asIfEmpty, m.extranonce1, '', job.difficulty);
    const answer = await m.submit(job.params.jobId, share);
    assert.equal(outcome(answer), 20);
    assert.match(answer.kind === 'error' ? answer.error.message : '', /extranonce2 size/);
    assert.equal(pool.requests('mining.submit').length, 0);
  });
});
