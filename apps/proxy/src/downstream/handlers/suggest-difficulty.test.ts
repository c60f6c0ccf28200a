import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { type NotifyParams, targetFromDifficulty } from '@smart-mining/stratum';
import { SIM_DIFFICULTY, waitFor } from '@smart-mining/testkit';
import { DuplexClient, type MemoryProxy, memoryProxy } from '../../../test/memory-proxy.ts';
import { findShare, shareBelow } from '../../../test/share-finder.ts';

let m: MemoryProxy | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

/** The pool's difficulty, and one far below it: a share meeting the low one rarely meets the pool's. */
const POOL = SIM_DIFFICULTY.sha256d * 16;
const LOW = SIM_DIFFICULTY.sha256d / 4;

const codeOf = DuplexClient.outcome;
const lastJob = (c: DuplexClient): NotifyParams => c.jobs().at(-1)!;

async function start(): Promise<MemoryProxy> {
  return memoryProxy({
    pools: [{ poolKey: 'a:BTC', options: { difficulty: POOL } }],
    listener: { limits: { messageBurst: 100_000 } },
  });
}

/** Subscribe, then `before` (sent ahead of authorize, as ESP-Miner does), authorize, first job. */
async function login(proxy: MemoryProxy, password: string, before: [string, unknown[]][] = []) {
  const client = proxy.connect();
  const sub = (await client.request('mining.subscribe', ['miner/1'])) as {
    result: [unknown, string, number];
  };
  for (const [method, params] of before) assert.equal(codeOf(await client.request(method, params)), true);
  assert.equal(codeOf(await client.request('mining.authorize', ['acct.w1', password])), true);
  await waitFor(() => client.calls('mining.notify').length > 0, { what: 'first job' });
  return { client, extranonce1: sub.result[1] };
}

describe('mining.suggest_difficulty / suggest_target: the miner’s own difficulty, never above the pool’s', () => {
  it('suggested before authorize: set_difficulty says it before the first job; shares meeting only it are accepted here, never forwarded', async () => {
    m = await start();
    const { client, extranonce1 } = await login(m, 'x', [['mining.suggest_difficulty', [LOW]]]);
    assert.equal(client.difficulty(), LOW);
    const job = lastJob(client);
    const share = shareBelow(job, extranonce1, LOW, POOL);
    assert.equal(codeOf(await client.submit(job.jobId, share)), true);
    assert.equal(m.pools.get('a:BTC')!.shares.length, 0, 'below the pool’s target: not forwarded');
    assert.equal(m.proxy.miners()[0]?.accepted, 1);
  });

  it('suggest_target (bfgminer) is read as the same difficulty', async () => {
    m = await start();
    const target = targetFromDifficulty('sha256d', LOW).toString(16).padStart(64, '0');
    const { client } = await login(m, 'x', [['mining.suggest_target', [target]]]);
    const sent = client.difficulty();
    assert.ok(Math.abs(sent - LOW) / LOW < 1e-9, `${sent} vs ${LOW}`);
  });

  it('a suggestion or d= above the pool’s difficulty gives the pool’s: the pool credits every share at its own', async () => {
    m = await start();
    const suggested = await login(m, 'x', [['mining.suggest_difficulty', [POOL * 1000]]]);
    assert.equal(suggested.client.difficulty(), POOL);
    const fixed = await login(m, `d=${POOL * 1000}`);
    assert.equal(fixed.client.difficulty(), POOL);
    // A share at the pool's difficulty is the pool's: forwarded and accepted there.
    const job = lastJob(fixed.client);
    const share = findShare('sha256d', job, fixed.extranonce1, '000009', POOL);
    assert.equal(codeOf(await fixed.client.submit(job.jobId, share)), true);
    assert.equal(m.pools.get('a:BTC')!.shares.at(-1)?.accepted, true);
  });

  it('d= wins over a suggestion', async () => {
    m = await start();
    const d = LOW * 2;
    const { client } = await login(m, `d=${d}`, [['mining.suggest_difficulty', [LOW]]]);
    assert.equal(client.difficulty(), d);
  });

  it('suggested while mining: in force from the next job; shares of the jobs before are judged at the difficulty they were sent with', async () => {
    m = await start();
    const { client, extranonce1 } = await login(m, 'x');
    assert.equal(client.difficulty(), POOL);
    const oldJob = lastJob(client);
    assert.equal(codeOf(await client.request('mining.suggest_difficulty', [LOW])), true);
    m.pools.get('a:BTC')!.pushJob();
    await waitFor(() => client.jobs().length >= 2, { what: 'the next job' });
    assert.equal(client.difficulty(), LOW);
    const newJob = lastJob(client);
    // The old job was sent at the pool's difficulty: a share meeting only the low one is low (23) there.
    assert.equal(codeOf(await client.submit(oldJob.jobId, shareBelow(oldJob, extranonce1, LOW, POOL))), 23);
    assert.equal(codeOf(await client.submit(newJob.jobId, shareBelow(newJob, extranonce1, LOW, POOL))), true);
  });

  it('per-miner upstreams: the pool lowering its difficulty under the suggestion caps it with its next job, and raising it again gives the suggestion back', async () => {
    m = await memoryProxy({
      pools: [{ poolKey: 'a:BTC', options: { difficulty: POOL } }],
      listener: { upstreamMode: 'per-miner', limits: { messageBurst: 100_000 } },
    });
    const suggested = LOW * 8;
    const { client } = await login(m, 'x', [['mining.suggest_difficulty', [suggested]]]);
    assert.equal(client.difficulty(), suggested);
    const pool = m.pools.get('a:BTC')!;
    const next = async () => {
      const jobs = client.jobs().length;
      pool.pushJob();
      await waitFor(() => client.jobs().length > jobs, { what: 'the next job' });
    };
    pool.setDifficulty(LOW);
    await next();
    assert.equal(client.difficulty(), LOW, 'capped at the pool’s, before its job');
    pool.setDifficulty(POOL);
    await next();
    assert.equal(client.difficulty(), suggested);
  });
});
