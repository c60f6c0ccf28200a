// Writes one cycle in one transaction: realtime upserts, history appends, source runs, stale flags, and the
// rankings-changed event (its NOTIFY goes out when the transaction commits).

import {
  appendCoinHistory,
  appendEvent,
  appendPoolHistory,
  type Db,
  insertSourceRuns,
  loadCoinStates,
  loadPoolHistoryHeads,
  markStaleCoins,
  markStalePools,
  repricePools,
  type SourceRun,
  upsertCoins,
  upsertDevices,
  upsertHardwareMining,
  upsertPools,
} from '@smart-mining/db';
import type { SourceSnapshot } from '@smart-mining/domain';
import { type ComputedCycle, type ComputeOptions, computeCycle } from './compute.ts';

export interface IngestOptions extends Omit<ComputeOptions, 'now'> {
  poolStaleS: number;
}

export interface IngestSummary {
  coins: number;
  coinHistory: number;
  pools: number;
  poolHistory: number;
  hardware: number;
  hardwareMining: number;
  computeMs: number;
  writeMs: number;
}

export async function ingest(
  db: Db,
  snapshot: SourceSnapshot,
  runs: readonly SourceRun[],
  now: Date,
  options: IngestOptions,
): Promise<IngestSummary> {
  let computed: ComputedCycle | undefined;
  let computeMs = 0;
  const writeStart = performance.now();
  await db.transaction(async (tx) => {
    const [previousCoins, previousPools] = await Promise.all([loadCoinStates(tx), loadPoolHistoryHeads(tx)]);
    const t0 = performance.now();
    computed = computeCycle(snapshot, previousCoins, previousPools, { ...options, now });
    computeMs = performance.now() - t0;
    await upsertCoins(tx, computed.coins, now);
    await appendCoinHistory(tx, computed.coinHistory);
    await upsertPools(tx, computed.pools, now);
    await repricePools(tx);
    await appendPoolHistory(tx, computed.poolHistory);
    await upsertDevices(tx, computed.devices);
    await upsertHardwareMining(tx, computed.mining);
    await insertSourceRuns(tx, runs);
    await markStaleCoins(tx, now, options.priceStaleS, options.networkStaleS);
    await markStalePools(tx, now, options.poolStaleS);
    // Only a cycle that brought market data changes rankings: a cycle of failed runs announces nothing.
    if (wroteMarketData(runs, computed)) {
      await appendEvent(tx, 'rankings-changed', { cause: 'ingest', ingestedAt: now.toISOString() }, now);
    }
  });
  const writeMs = performance.now() - writeStart - computeMs;
  const c = computed!;
  return {
    coins: c.coins.length,
    coinHistory: c.coinHistory.length,
    pools: c.pools.length,
    poolHistory: c.poolHistory.length,
    hardware: c.devices.length,
    hardwareMining: c.mining.length,
    computeMs,
    writeMs,
  };
}

function wroteMarketData(runs: readonly SourceRun[], c: ComputedCycle): boolean {
  return runs.some((r) => r.ok) && c.coins.length + c.pools.length + c.mining.length > 0;
}
