import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { uint32ToHex } from '@smart-mining/stratum';
import { SIM_DIFFICULTY, waitFor } from '@smart-mining/testkit';
import { DuplexClient, type MemoryProxy, memoryProxy, secondsThenAJob } from '../../test/memory-proxy.ts';
import { findShare, shareBelow } from '../../test/share-finder.ts';
import { VARDIFF } from './vardiff.ts';

let m: MemoryProxy | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

const POOL = SIM_DIFFICULTY.sha256d * 64;

/**
 * Pools a and b at POOL, the route on a with its standby on b (ready, with a job), and a miner whose first minute
 * without a share took its vardiff difficulty to a quarter of the pool's.
 */
async function minerOnAAtAQuarter() {
  m = await memoryProxy({
    pools: [
      { poolKey: 'a:BTC', options: { difficulty: POOL } },
      { poolKey: 'b:BTC', options: { difficulty: POOL } },
    ],
    listener: { limits: { messageBurst: 100_000 }, vardiff: { minDifficulty: POOL / 2 ** 10 } },
  });
  const { client, extranonce1 } = await m.miner();
  const proxy = m.proxy;
  await waitFor(
    () => proxy.summary().upstreams.some((u) => u.poolKey === 'b:BTC' && u.standby && u.state === 'ready'),
    { what: 'the standby on b, with its job' },
  );
  await secondsThenAJob(m, client, VARDIFF.windowS, 'a:BTC');
  const low = POOL / VARDIFF.maxStep;
  assert.equal(client.difficulty(), low);
  return { mp: m, client, extranonce1, low };
}

describe('the miner’s own difficulty across a switch', () => {
  it('onto a standby whose job is older than the last vardiff change: its shares are judged at the difficulty sent with it', async () => {
    const { mp, client, extranonce1, low } = await minerOnAAtAQuarter();
    const onA = client.jobs().length;
    mp.decisions.rank([mp.targets.get('b:BTC')!, mp.targets.get('a:BTC')!], 'b pays more');
    await waitFor(() => client.jobs().length > onA, { what: 'b’s job' });
    assert.equal(client.difficulty(), low, 'the miner mines b’s job at its own difficulty');
    const job = client.jobs().at(-1)!;
    assert.equal(
      DuplexClient.outcome(await client.submit(job.jobId, shareBelow(job, extranonce1, low, POOL))),
      true,
    );
  });

  it('a change due when the miner moves applies to the new pool’s job; the old pool’s jobs keep what they were sent with, and go there', async () => {
    const { mp, client, extranonce1, low } = await minerOnAAtAQuarter();
    // Sixteen shares in the next minute at the low difficulty: the next one is the pool's again.
    const oldJob = client.jobs().at(-1)!;
    for (let i = 0; i < 16; i++) {
      const share = findShare('sha256d', oldJob, extranonce1, uint32ToHex(100 + i).slice(2), low);
      assert.equal(DuplexClient.outcome(await client.submit(oldJob.jobId, share)), true);
    }
    for (let i = 0; i < VARDIFF.windowS; i++) mp.advance(1000);
    const onA = client.jobs().length;
    mp.decisions.rank([mp.targets.get('b:BTC')!, mp.targets.get('a:BTC')!], 'b pays more');
    await waitFor(() => client.jobs().length > onA, { what: 'b’s job' });
    assert.equal(client.difficulty(), POOL, 'set_difficulty before b’s job');
    // Found on a's job before the move, at the difficulty sent with it: accepted, and not sent to b.
    const late = shareBelow(oldJob, extranonce1, low, POOL, 1000);
    assert.equal(DuplexClient.outcome(await client.submit(oldJob.jobId, late)), true);
    assert.equal(mp.pools.get('b:BTC')!.shares.length, 0);
    const job = client.jobs().at(-1)!;
    assert.equal(
      DuplexClient.outcome(await client.submit(job.jobId, shareBelow(job, extranonce1, low, POOL, 2000))),
      23,
    );
  });
});
