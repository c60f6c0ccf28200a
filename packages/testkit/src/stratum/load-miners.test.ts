import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { waitFor } from '../wait-for.ts';
import { LoadMiners, shuffledOrder } from './load-miners.ts';
import { SIM_DIFFICULTY, SIM_LOAD_DIFFICULTY, SimPool } from './sim-pool.ts';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function start(
  algorithm: 'sha256d' | 'scrypt',
  difficulty: number,
  load: { miners: number; sharesPerSecond: number; hash?: boolean },
) {
  const pool = await SimPool.start({ algorithm, difficulty, recordShares: load.hash === true });
  cleanups.push(() => pool.stop());
  const miners = await LoadMiners.start({ host: '127.0.0.1', port: pool.port, algorithm, ...load });
  cleanups.push(() => miners.stop());
  return { pool, load: miners };
}

describe('load miners', () => {
  it('submit in a fixed shuffled order: every miner once a round, neighbours not in a row', () => {
    const order = [...shuffledOrder(1000)];
    assert.deepEqual(
      [...order].sort((x, y) => x - y),
      Array.from({ length: 1000 }, (_, i) => i),
    );
    assert.deepEqual(order, [...shuffledOrder(1000)], 'the same order every run');
    const neighbours = order.slice(1).filter((v, i) => Math.abs(v - order[i]!) === 1).length;
    assert.ok(neighbours < 10, `${neighbours} consecutive pairs`);
  });

  it('many connections submit at the set rate; the pool validates and accepts every share', async () => {
    const { pool, load } = await start('sha256d', SIM_LOAD_DIFFICULTY.sha256d, {
      miners: 300,
      sharesPerSecond: 10,
    });
    assert.equal(load.mining, 300);
    await waitFor(() => load.accepted >= 600, { what: '600 accepted' });
    assert.equal(load.rejected, 0);
    const job = pool.pushJob({ clean: true });
    await waitFor(() => load.jobArrivals().find((j) => j.seq === job.seq)?.count === 300, {
      what: 'fan-out',
    });
    // Every miner has the clean job: once the shares sent before are answered, no later share may be stale.
    const sentBefore = load.submitted;
    await waitFor(() => load.accepted + load.rejected >= sentBefore, { what: 'earlier shares answered' });
    const staleBefore = load.rejected;
    const acceptedBefore = load.accepted;
    await waitFor(() => load.accepted >= acceptedBefore + 600, { what: '600 more accepted' });
    assert.equal(
      load.rejected,
      staleBefore,
      'a share sent after the clean job reached every miner was stale',
    );
    await load.stop();
    const stats = load.stats();
    // Only shares in flight across the clean job may be stale (21), as at a real pool.
    assert.deepEqual(
      Object.keys(pool.stats().rejectedByCode).filter((c) => c !== '21'),
      [],
    );
    assert.equal(stats.errors, 0);
    assert.ok(stats.submitLatencyMs.count >= 600 && stats.submitLatencyMs.p50 > 0);
    const arrival = load.jobArrivals().find((j) => j.seq === job.seq)!;
    assert.ok(arrival.firstMs >= pool.jobsSent.find((j) => j.seq === job.seq)!.sentAtMs);
    assert.equal(Object.keys(pool.stats().workers).length, 300);
  });

  it('with hash: true each share is found by real PoW at a real (low) difficulty', async () => {
    const { pool, load } = await start('scrypt', SIM_DIFFICULTY.scrypt, {
      miners: 4,
      sharesPerSecond: 20,
      hash: true,
    });
    await waitFor(() => load.accepted >= 8);
    await load.stop();
    assert.equal(load.rejected, 0);
    assert.ok(pool.shares.every((s) => s.accepted && s.hashDifficulty >= s.difficulty));
  });

  it('a closed connection leaves the others running', async () => {
    const { pool, load } = await start('sha256d', SIM_LOAD_DIFFICULTY.sha256d, {
      miners: 10,
      sharesPerSecond: 20,
    });
    pool.dropConnections(3);
    await waitFor(() => load.mining === 7);
    const before = load.accepted;
    await waitFor(() => load.accepted >= before + 20);
    assert.equal(load.rejected, 0);
  });
});
