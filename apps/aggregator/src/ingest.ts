// Writes one cycle in one transaction: realtime upserts, history appends, source runs, and the rankings-changed
// event (its NOTIFY goes out when the transaction commits).

import {
  appendCoinHistory,
  appendEvent,
  appendPoolHistory,
  type Db,
  insertSourceRuns,
  loadCoinStates,
  loadHardwareMining,
  loadPoolStates,
  type Queryable,
  type SourceRun,
  upsertCoins,
  upsertDevices,
  upsertHardwareMining,
  upsertPools,
} from '@smart-mining/db';
import type { SourceSnapshot } from '@smart-mining/domain';
import { type ComputedCycle, type ComputeOptions, computeCycle, type StoredMarket } from './compute.ts';

export type IngestOptions = Omit<ComputeOptions, 'now'>;

export interface IngestSummary {
  coins: number;
  /** History rows really written (changes and heartbeats), not rows offered. */
  coinHistory: number;
  pools: number;
  poolHistory: number;
  hardware: number;
  hardwareMining: number;
  computeMs: number;
  writeMs: number;
  /** Declared pools no decision can choose this cycle, and why. */
  warnings: string[];
}

export async function ingest(
  db: Db,
  snapshot: SourceSnapshot,
  runs: readonly SourceRun[],
  now: Date,
  options: IngestOptions,
  /** Runs last in the transaction (the lease's fencing check): throwing rolls the whole cycle back. */
  fence?: (tx: Queryable) => Promise<void>,
): Promise<IngestSummary> {
  let computeMs = 0;
  const writeStart = performance.now();
  const summary = await db.transaction(async (tx) => {
    const stored = await loadStoredMarket(tx);
    const t0 = performance.now();
    const computed = computeCycle(snapshot, stored, { ...options, now });
    computeMs = performance.now() - t0;
    const written = await write(tx, computed, runs, now);
    await fence?.(tx);
    return written;
  });
  const writeMs = performance.now() - writeStart - computeMs;
  return { ...summary, computeMs, writeMs };
}

async function loadStoredMarket(tx: Queryable): Promise<StoredMarket> {
  // One statement at a time: a transaction's connection runs them in order anyway.
  const coins = await loadCoinStates(tx);
  const pools = await loadPoolStates(tx);
  const mining = await loadHardwareMining(tx);
  return { coins, pools, mining };
}

async function write(
  tx: Queryable,
  c: ComputedCycle,
  runs: readonly SourceRun[],
  now: Date,
): Promise<Omit<IngestSummary, 'computeMs' | 'writeMs'>> {
  await upsertCoins(tx, c.coins, now);
  const coinHistory = await appendCoinHistory(tx, c.coinHistory, now);
  await upsertPools(tx, c.pools, now);
  const poolHistory = await appendPoolHistory(tx, c.poolHistory, now);
  await upsertDevices(tx, c.devices);
  await upsertHardwareMining(tx, c.mining);
  await insertSourceRuns(tx, runs);
  // Only a cycle that brought market data changes rankings: a cycle of failed runs announces nothing.
  if (wroteMarketData(runs, c)) {
    await appendEvent(tx, 'rankings-changed', { cause: 'ingest', ingestedAt: now.toISOString() }, now);
  }
  return {
    coins: c.coins.length,
    coinHistory,
    pools: c.pools.length,
    poolHistory,
    hardware: c.devices.length,
    hardwareMining: c.mining.length,
    warnings: c.warnings,
  };
}

function wroteMarketData(runs: readonly SourceRun[], c: ComputedCycle): boolean {
  return runs.some((r) => r.ok) && c.coins.length + c.pools.length + c.mining.length > 0;
}
