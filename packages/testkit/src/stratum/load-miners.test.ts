import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { LoadMiners } from './load-miners.ts';
import { SIM_DIFFICULTY, SIM_LOAD_DIFFICULTY, SimPool } from './sim-pool.ts';
import { waitFor } from './wait-for.ts';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('load miners', () => {
  it('many connections submit at the set rate; the pool validates and accepts every share', async () => {
    const pool = await SimPool.start({
      algorithm: 'sha256d',
      difficulty: SIM_LOAD_DIFFICULTY.sha256d,
      recordShares: false,
    });
    cleanups.push(() => pool.stop());
    const load = await LoadMiners.start({
      host: '127.0.0.1',
      port: pool.port,
      miners: 300,
      algorithm: 'sha256d',
      sharesPerSecond: 10,
    });
    cleanups.push(() => load.stop());
    assert.equal(load.mining, 300);
    await waitFor(() => load.accepted >= 600, { what: '600 accepted' });
    assert.equal(load.rejected, 0);
    const job = pool.pushJob({ clean: true });
    await waitFor(() => load.jobArrivals().find((j) => j.seq === job.seq)?.count === 300, {
      what: 'fan-out',
    });
    await load.stop();
    const stats = load.stats();
    // Only shares in flight across the clean job may be stale (21), as at a real pool.
    assert.deepEqual(
      Object.keys(pool.stats().rejectedByCode).filter((c) => c !== '21'),
      [],
    );
    assert.ok(stats.rejected <= 300);
    assert.equal(stats.errors, 0);
    assert.ok(stats.submitLatencyMs.count >= 600 && stats.submitLatencyMs.p50 > 0);
    const arrival = load.jobArrivals().find((j) => j.seq === job.seq)!;
    assert.ok(arrival.firstMs >= pool.jobsSent.at(-1)!.sentAtMs);
    assert.equal(Object.keys(pool.stats().workers).length, 300);
  });

  it('with hash: true each share is found by real PoW at a real (low) difficulty', async () => {
    const pool = await SimPool.start({ algorithm: 'scrypt', difficulty: SIM_DIFFICULTY.scrypt });
    cleanups.push(() => pool.stop());
    const load = await LoadMiners.start({
      host: '127.0.0.1',
      port: pool.port,
      miners: 4,
      algorithm: 'scrypt',
      hash: true,
      sharesPerSecond: 20,
    });
    cleanups.push(() => load.stop());
    await waitFor(() => load.accepted >= 8);
    await load.stop();
    assert.equal(load.rejected, 0);
    assert.ok(pool.shares.every((s) => s.accepted && s.hashDifficulty >= s.difficulty));
  });

  it('a closed connection leaves the others running', async () => {
    const pool = await SimPool.start({
      algorithm: 'sha256d',
      difficulty: SIM_LOAD_DIFFICULTY.sha256d,
      recordShares: false,
    });
    cleanups.push(() => pool.stop());
    const load = await LoadMiners.start({
      host: '127.0.0.1',
      port: pool.port,
      miners: 10,
      algorithm: 'sha256d',
      sharesPerSecond: 20,
    });
    cleanups.push(() => load.stop());
    pool.dropConnections(3);
    await waitFor(() => load.mining === 7);
    const before = load.accepted;
    await waitFor(() => load.accepted >= before + 20);
    assert.equal(load.rejected, 0);
  });
});
