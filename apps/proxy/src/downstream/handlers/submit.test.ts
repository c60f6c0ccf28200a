import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  checkShare,
  type NotifyParams,
  prepareJob,
  targetFromDifficulty,
  targetToBytes,
  uint32ToHex,
} from '@smart-mining/stratum';
import { SIM_DIFFICULTY, waitFor } from '@smart-mining/testkit';
import { DuplexClient, type MemoryProxy, memoryProxy } from '../../../test/memory-proxy.ts';
import { findShare, meetsDifficulty } from '../../../test/share-finder.ts';
import { holdThreadPool } from '../../../test/thread-pool-gate.ts';
import { MAX_HASHES_OFF_THREAD } from './submit.ts';

let m: MemoryProxy | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

const codeOf = DuplexClient.outcome;
const lastJob = (c: DuplexClient): NotifyParams => c.jobs().at(-1)!;

const _submit = (
  c: DuplexClient,
  jobId: string,
  s: { extranonce2: string; ntime: string; nonce: string },
  extra: unknown[] = [],
) => c.request('mining.submit', ['acct.w1', jobId, s.extranonce2, s.ntime, s.nonce, ...extra]);

/** A nonce whose hash misses the target at `difficulty`. */
function missingShare(
  job: NotifyParams,
  extranonce1: string,
  extranonce2: string,
  difficulty: number,
  algorithm: 'sha256d' | 'scrypt' = 'sha256d',
) {
  const prepared = prepareJob(job);
  const shareTarget = targetToBytes(targetFromDifficulty(algorithm, difficulty));
  for (let nonce = 0; ; nonce++) {
    const share = { extranonce2, ntime: job.ntime, nonce: uint32ToHex(nonce) };
    if (
      !checkShare({ algorithm, job: prepared, extranonce1, ...share, versionMask: 0, shareTarget })
        .meetsShareTarget
    ) {
      return share;
    }
  }
}

describe('mining.submit: local checks, then the pool’s verdict', () => {
  it('relays the job folded (coinb1_up ‖ E1_up ‖ q) under a proxy-unique id; a good share is accepted by the pool', async () => {
    m = await memoryProxy();
    const { client, extranonce1, extranonce2Size } = await m.miner();
    const job = lastJob(client);
    const pool = m.pools.get('a:BTC')!;
    const upstream = [...pool.connections.values()][0]!;
    assert.ok(job.coinb1.endsWith(`${upstream.extranonce1}00000000`)); // q = 8 − 1 − 3 = 4 bytes
    assert.match(job.jobId, /^[0-9a-f]+$/);
    const share = findShare(
      'sha256d',
      job,
      extranonce1,
      '00'.repeat(extranonce2Size),
      SIM_DIFFICULTY.sha256d,
    );
    assert.equal(codeOf(await client.submit(job.jobId, share)), true);
    assert.equal(pool.shares.at(-1)?.extranonce2, `00000000${extranonce1}${share.extranonce2}`);
    assert.equal(pool.shares.at(-1)?.accepted, true);
  });

  it('answers 22 for a duplicate, 23 for low difficulty, 21 for an unknown job, 20 for a wrong size or version bits', async () => {
    m = await memoryProxy();
    const { client, extranonce1 } = await m.miner();
    const job = lastJob(client);
    const share = findShare('sha256d', job, extranonce1, '000001', SIM_DIFFICULTY.sha256d);
    assert.equal(codeOf(await client.submit(job.jobId, share)), true);
    assert.equal(codeOf(await client.submit(job.jobId, share)), 22);
    assert.equal(
      codeOf(
        await client.submit(job.jobId, missingShare(job, extranonce1, '000002', SIM_DIFFICULTY.sha256d)),
      ),
      23,
    );
    assert.equal(codeOf(await client.submit('ffffff', share)), 21);
    assert.equal(codeOf(await client.submit(job.jobId, { ...share, extranonce2: '0001' })), 20);
    assert.equal(codeOf(await client.submit(job.jobId, share, ['00002000'])), 20);
    const pool = m.pools.get('a:BTC')!;
    assert.equal(pool.shares.length, 1, 'only the good share reached the pool');
    const counts = m.proxy.summary().pools.find((p) => p.poolKey === 'a:BTC')!;
    assert.deepEqual([counts.accepted, counts.rejected, counts.stale], [1, 4, 1]);
  });

  it('malformed fields (nonce not hex, short ntime, a nonce over 4 bytes, 4 params) are rejected shares: 20, counted, the miner stays', async () => {
    m = await memoryProxy({ listener: { limits: { badLinesBeforeClose: 3 } } });
    const { client } = await m.miner();
    const job = lastJob(client);
    const bad: unknown[][] = [
      ['acct.w1', job.jobId, '000000', job.ntime, 'zzzzzzzz'],
      ['acct.w1', job.jobId, '000000', '1', '00000000'],
      ['acct.w1', job.jobId, '000000', job.ntime, '1a2b3c4d5'],
      ['acct.w1', job.jobId, '000000', job.ntime],
    ];
    for (const params of bad) {
      const answer = await client.request('mining.submit', params);
      assert.equal(codeOf(answer), 20, JSON.stringify(params));
    }
    assert.equal(client.closed, false);
    assert.equal(m.proxy.summary().pools.find((p) => p.poolKey === 'a:BTC')?.rejected, bad.length);
    assert.equal(m.proxy.miners()[0]?.rejected, bad.length);
  });

  it('d= below the pool’s difficulty: shares meeting only d are accepted here and never forwarded', async () => {
    m = await memoryProxy({
      pools: [{ poolKey: 'a:BTC', options: { difficulty: SIM_DIFFICULTY.sha256d * 16 } }],
      // Many submits in one (frozen) second: the token bucket must not stop this test.
      listener: { limits: { messageBurst: 100_000 } },
    });
    const { client, extranonce1 } = await m.miner('acct.w1', 'd=0.0000000596');
    const setDifficulty = client.calls('mining.set_difficulty').at(-1);
    assert.deepEqual(setDifficulty?.params, [0.0000000596]);
    const job = lastJob(client);
    const poolDifficulty = SIM_DIFFICULTY.sha256d * 16;
    let local = 0;
    let forwarded = 0;
    for (let i = 0; local < 2 || forwarded < 1; i++) {
      const xn2 = uint32ToHex(i).slice(2);
      const share = findShare('sha256d', job, extranonce1, xn2, 0.0000000596);
      const meetsPool = meetsDifficulty(job, extranonce1, share, poolDifficulty);
      assert.equal(codeOf(await client.submit(job.jobId, share)), true);
      if (meetsPool) forwarded++;
      else local++;
      assert.ok(i < 2000);
    }
    assert.equal(m.pools.get('a:BTC')!.shares.length, forwarded);
  });

  it('d= below the pool’s: a share accepted here for the previous pool’s job counts for that pool', async () => {
    const difficulty = SIM_DIFFICULTY.sha256d * 16;
    m = await memoryProxy({
      pools: [
        { poolKey: 'a:BTC', options: { difficulty } },
        { poolKey: 'b:BTC', options: { difficulty } },
      ],
      listener: { limits: { messageBurst: 100_000 } },
    });
    const { client, extranonce1 } = await m.miner('acct.w1', 'd=0.0000000596');
    const oldJob = lastJob(client);
    let share = findShare('sha256d', oldJob, extranonce1, '000000', 0.0000000596);
    for (let i = 1; meetsDifficulty(oldJob, extranonce1, share, difficulty); i++) {
      share = findShare('sha256d', oldJob, extranonce1, uint32ToHex(i).slice(2), 0.0000000596);
    }
    m.decisions.rank([m.targets.get('b:BTC')!, m.targets.get('a:BTC')!]);
    await waitFor(() => client.calls('mining.notify').length >= 2);
    assert.equal(codeOf(await client.submit(oldJob.jobId, share)), true);
    const pools = m.proxy.summary().pools;
    assert.equal(pools.find((p) => p.poolKey === 'a:BTC')?.accepted, 1);
    assert.equal(pools.find((p) => p.poolKey === 'b:BTC')?.accepted ?? 0, 0);
  });

  it('a share for the previous pool’s job after the grace period: 21, counted stale', async () => {
    m = await memoryProxy({ pools: [{ poolKey: 'a:BTC' }, { poolKey: 'b:BTC' }], timings: { graceS: 15 } });
    const { client, extranonce1 } = await m.miner();
    const oldJob = lastJob(client);
    const share = findShare('sha256d', oldJob, extranonce1, '000009', SIM_DIFFICULTY.sha256d);
    m.decisions.rank([m.targets.get('b:BTC')!]);
    await waitFor(() => client.calls('mining.notify').length >= 2);
    m.advance(16_000);
    m.advance(1000);
    assert.equal(codeOf(await client.submit(oldJob.jobId, share)), 21);
    const a = m.proxy.summary().pools.find((p) => p.poolKey === 'a:BTC');
    assert.equal(a?.stale, 1);
    assert.equal(m.pools.get('a:BTC')!.shares.length, 0);
  });

  it('a share still on its way when the miner is sent client.reconnect goes to its job’s pool and is counted', async () => {
    m = await memoryProxy({
      pools: [
        { poolKey: 'roomy:BTC', options: { extranonce2Size: 8 } },
        { poolKey: 'tight:BTC', options: { extranonce2Size: 3 } },
      ],
    });
    const { client, extranonce1 } = await m.miner();
    const job = lastJob(client);
    const share = findShare('sha256d', job, extranonce1, '000000', SIM_DIFFICULTY.sha256d);
    // n2′ = 3 does not fit the tight pool and this miner takes no set_extranonce: it is told to reconnect.
    m.decisions.rank([m.targets.get('tight:BTC')!, m.targets.get('roomy:BTC')!]);
    await waitFor(() => client.calls('client.reconnect').length > 0);
    // The miner wrote this before it read the reconnect: the proxy can no longer answer, but the work counts.
    client.write(
      `${JSON.stringify({ id: 99, method: 'mining.submit', params: ['acct.w1', job.jobId, '000000', share.ntime, share.nonce] })}\n`,
    );
    const roomy = m.pools.get('roomy:BTC')!;
    await waitFor(() => roomy.shares.find((r) => r.nonce === share.nonce), {
      what: 'the share at the roomy pool',
    });
    await waitFor(() => m!.proxy.summary().pools.find((p) => p.poolKey === 'roomy:BTC')?.accepted === 1, {
      what: 'the share counted',
    });
  });

  it('a job of another lane is not the miner’s: 21', async () => {
    m = await memoryProxy({ listener: { upstreamMode: 'per-miner' } });
    const one = await m.miner('acct.one');
    const two = await m.miner('acct.two');
    const job = lastJob(one.client);
    const share = findShare('sha256d', job, two.extranonce1, '000001', SIM_DIFFICULTY.sha256d);
    assert.equal(codeOf(await two.client.submit(job.jobId, share)), 21);
  });
});

describe('mining.submit, scrypt: the hash on the thread pool, the event loop free meanwhile', () => {
  const submitLine = (id: number, jobId: string, s: { extranonce2: string; ntime: string; nonce: string }) =>
    `${JSON.stringify({ id, method: 'mining.submit', params: ['acct.w1', jobId, s.extranonce2, s.ntime, s.nonce] })}\n`;
  const answered = (c: DuplexClient, id: number) => c.messages.some((msg) => 'id' in msg && msg.id === id);

  it('other lines are answered while a share hashes; its verdict comes when the hash is done', async () => {
    m = await memoryProxy({ algorithm: 'scrypt', pools: [{ poolKey: 'a:LTC' }] });
    const { client, extranonce1 } = await m.miner();
    const job = lastJob(client);
    const share = findShare('scrypt', job, extranonce1, '000001', SIM_DIFFICULTY.scrypt);
    const release = holdThreadPool();
    try {
      client.write(submitLine(50, job.jobId, share));
      // Answered after the submit line was read: the share waits for a thread, the miner's session does not.
      assert.equal(codeOf(await client.request('mining.extranonce.subscribe')), true);
      assert.equal(answered(client, 50), false, 'no verdict before the hash');
    } finally {
      await release();
    }
    assert.equal(codeOf(await client.answer(50)), true);
    assert.equal(m.pools.get('a:LTC')!.shares.at(-1)?.accepted, true);
  });

  it(`past ${MAX_HASHES_OFF_THREAD} shares waiting for a thread, the next is hashed in turn`, async () => {
    m = await memoryProxy({
      algorithm: 'scrypt',
      pools: [{ poolKey: 'a:LTC' }],
      listener: { limits: { messageBurst: 100_000 } },
    });
    const { client } = await m.miner();
    const job = lastJob(client);
    const release = holdThreadPool();
    const ids = Array.from({ length: MAX_HASHES_OFF_THREAD + 1 }, (_, i) => 100 + i);
    try {
      const lines = ids.map((id) =>
        submitLine(id, job.jobId, { extranonce2: '000005', ntime: job.ntime, nonce: uint32ToHex(id) }),
      );
      client.write(lines.join(''));
      const last = ids.at(-1)!;
      // Every thread held: only the share past the bound can have its verdict now.
      await client.answer(last);
      assert.deepEqual(
        ids.filter((id) => answered(client, id)),
        [last],
      );
    } finally {
      await release();
    }
    for (const id of ids) await client.answer(id);
  });

  it('the same share twice in one packet, both hashing at once: accepted, then 22; a share missing the target: 23', async () => {
    m = await memoryProxy({ algorithm: 'scrypt', pools: [{ poolKey: 'a:LTC' }] });
    const { client, extranonce1 } = await m.miner();
    const job = lastJob(client);
    const share = findShare('scrypt', job, extranonce1, '000002', SIM_DIFFICULTY.scrypt);
    const low = missingShare(job, extranonce1, '000003', SIM_DIFFICULTY.scrypt, 'scrypt');
    client.write(
      submitLine(60, job.jobId, share) + submitLine(61, job.jobId, share) + submitLine(62, job.jobId, low),
    );
    const codes = [
      codeOf(await client.answer(60)),
      codeOf(await client.answer(61)),
      codeOf(await client.answer(62)),
    ];
    assert.deepEqual([...codes.slice(0, 2)].sort(), [22, true].sort());
    assert.equal(codes[2], 23);
    assert.equal(m.pools.get('a:LTC')!.shares.length, 1, 'one share reached the pool');
    const counts = m.proxy.summary().pools.find((p) => p.poolKey === 'a:LTC')!;
    assert.deepEqual([counts.accepted, counts.rejected], [1, 2]);
  });

  it('a share hashing while the route switches goes to the pool of its job, at the difficulty sent with it', async () => {
    m = await memoryProxy({
      algorithm: 'scrypt',
      pools: [{ poolKey: 'a:LTC' }, { poolKey: 'b:LTC' }],
    });
    const { client, extranonce1 } = await m.miner();
    const job = lastJob(client);
    const share = findShare('scrypt', job, extranonce1, '000006', SIM_DIFFICULTY.scrypt);
    const jobs = client.jobs().length;
    const release = holdThreadPool();
    try {
      client.write(submitLine(80, job.jobId, share));
      await client.request('mining.extranonce.subscribe');
      m.decisions.rank([m.targets.get('b:LTC')!, m.targets.get('a:LTC')!], 'b pays more');
      await waitFor(() => client.jobs().length > jobs, { what: 'b’s job' });
    } finally {
      await release();
    }
    assert.equal(codeOf(await client.answer(80)), true);
    assert.equal(m.pools.get('a:LTC')!.shares.length, 1);
    assert.equal(m.pools.get('b:LTC')!.shares.length, 0);
  });

  it('a share hashing when its miner disconnects still goes to the pool of its job and is counted', async () => {
    m = await memoryProxy({ algorithm: 'scrypt', pools: [{ poolKey: 'a:LTC' }] });
    const { client, extranonce1 } = await m.miner();
    const job = lastJob(client);
    const share = findShare('scrypt', job, extranonce1, '000020', SIM_DIFFICULTY.scrypt);
    const proxy = m.proxy;
    const release = holdThreadPool();
    try {
      client.write(submitLine(95, job.jobId, share));
      await client.request('mining.extranonce.subscribe');
      client.stream.destroy();
      await waitFor(() => proxy.sizes().connections === 0, { what: 'the miner gone' });
    } finally {
      await release();
    }
    await waitFor(() => m!.pools.get('a:LTC')!.shares.at(-1)?.accepted === true, {
      what: 'the share at the pool',
    });
    await waitFor(() => proxy.summary().pools.find((p) => p.poolKey === 'a:LTC')?.accepted === 1, {
      what: 'the share counted',
    });
  });

  it('shares hashing when the proxy closes: counted stale, nothing forwarded or written after', async () => {
    m = await memoryProxy({ algorithm: 'scrypt', pools: [{ poolKey: 'a:LTC' }] });
    const { client, extranonce1 } = await m.miner();
    const job = lastJob(client);
    const release = holdThreadPool();
    const proxy = m.proxy;
    try {
      for (let i = 0; i < 3; i++) {
        const share = findShare('scrypt', job, extranonce1, `00001${i}`, SIM_DIFFICULTY.scrypt);
        client.write(submitLine(90 + i, job.jobId, share));
      }
      await client.request('mining.extranonce.subscribe');
      await proxy.close();
    } finally {
      await release();
    }
    const seen = client.messages.length;
    await waitFor(() => proxy.summary().pools.find((p) => p.poolKey === 'a:LTC')?.stale === 3, {
      what: 'the three shares counted',
    });
    assert.equal(m.pools.get('a:LTC')!.shares.length, 0);
    assert.equal(client.messages.length, seen, 'nothing written after close');
  });

  it('a share whose pool connection closed while it hashed: 21, counted stale, not forwarded', async () => {
    m = await memoryProxy({ algorithm: 'scrypt', pools: [{ poolKey: 'a:LTC' }] });
    const { client, extranonce1 } = await m.miner();
    const job = lastJob(client);
    const share = findShare('scrypt', job, extranonce1, '000004', SIM_DIFFICULTY.scrypt);
    const pool = m.pools.get('a:LTC')!;
    const release = holdThreadPool();
    try {
      client.write(submitLine(70, job.jobId, share));
      await client.request('mining.extranonce.subscribe');
      pool.refuseConnections();
      pool.dropConnections();
      await waitFor(() => m!.proxy.summary().upstreams.every((u) => u.state !== 'ready'), {
        what: 'the pool connection down',
      });
    } finally {
      await release();
    }
    assert.equal(codeOf(await client.answer(70)), 21);
    assert.equal(m.proxy.summary().pools.find((p) => p.poolKey === 'a:LTC')?.stale, 1);
    assert.equal(pool.shares.length, 0);
  });
});
