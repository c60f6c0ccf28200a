// Merges device benchmarks per hardware × algorithm over the stored ones and values each on its best target,
// net of that pool's fee and at the configured electricity cost, by the one valuation rule.

import type { HardwareMiningState } from '@smart-mining/db';
import {
  type AlgorithmKey,
  deviceEconomics,
  type HardwareObservation,
  isAlgorithmKey,
  poolUsdPerHsDay,
} from '@smart-mining/domain';
import { median } from './consensus.ts';
import type { MergedCoin } from './merge-coins.ts';
import type { MergedPool } from './merge-pools.ts';

export interface MergedDevice {
  hardware: string;
  name: string;
  vendor: string;
  kind: HardwareObservation['kind'];
  updatedAt: Date;
}

export interface MergedHardwareMining extends HardwareMiningState {
  algorithm: AlgorithmKey;
}

/** Where a device could mine: a minable pool of a coin, or a coin no pool lists (no fee). */
export interface MiningTarget {
  coin: string;
  poolKey?: string;
  algorithm: AlgorithmKey;
  /** The coin's gross value. */
  usdPerHsDay: number;
  feeFraction: number;
}

export interface MergeHardwareOptions {
  now: Date;
  usdPerKwh: number;
  hardwareStaleS: number;
}

/** Minerstat names devices most completely; it goes first when sources name one device differently. */
const NAME_PREFERENCE = ['minerstat', 'hashrateno'];

/**
 * The targets the decision engine could choose, as the API builds them: every minable, fresh pool of a trusted,
 * fresh coin; and such a coin alone (fee 0) when no pool of it is known at all.
 */
export function miningTargets(coins: readonly MergedCoin[], pools: readonly MergedPool[]): MiningTarget[] {
  const byCoin = new Map(coins.map((c) => [c.coin, c]));
  const usable = (c: MergedCoin | undefined): c is MergedCoin & { usdPerHsDay: number } =>
    !!c && c.trusted && !c.stale && c.usdPerHsDay !== undefined;
  const targets: MiningTarget[] = [];
  for (const p of pools) {
    const coin = byCoin.get(p.coin);
    if (!usable(coin) || p.stale || p.endpoints.length === 0) continue;
    const { usdPerHsDay, algorithm } = coin;
    targets.push({
      coin: coin.coin,
      poolKey: p.poolKey,
      algorithm,
      usdPerHsDay,
      feeFraction: p.feeFraction ?? 0,
    });
  }
  const pooled = new Set(pools.map((p) => p.coin));
  for (const c of coins) {
    if (!usable(c) || pooled.has(c.coin)) continue;
    targets.push({ coin: c.coin, algorithm: c.algorithm, usdPerHsDay: c.usdPerHsDay, feeFraction: 0 });
  }
  return targets;
}

export function mergeHardware(
  observations: readonly HardwareObservation[],
  stored: readonly HardwareMiningState[],
  targets: readonly MiningTarget[],
  options: MergeHardwareOptions,
): { devices: MergedDevice[]; mining: MergedHardwareMining[] } {
  const limitMs = options.hardwareStaleS * 1000;
  const current = observations.filter((o) => options.now.getTime() - o.observedAt.getTime() <= limitMs);
  const ordered = [...current].sort(
    (a, b) => rank(a.source) - rank(b.source) || a.hardware.localeCompare(b.hardware),
  );
  const devices = new Map<string, MergedDevice>();
  const groups = new Map<string, HardwareObservation[]>();
  for (const o of ordered) {
    const device = devices.get(o.hardware);
    if (!device)
      devices.set(o.hardware, {
        hardware: o.hardware,
        name: o.name,
        vendor: o.vendor,
        kind: o.kind,
        updatedAt: o.observedAt,
      });
    else if (o.observedAt > device.updatedAt) device.updatedAt = o.observedAt;
    const key = `${o.hardware}\u0000${o.algorithm}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  const rows = new Map<string, HardwareMiningState>();
  for (const s of stored) rows.set(`${s.hardware}\u0000${s.algorithm}`, s);
  for (const [key, obs] of groups) rows.set(key, figures(obs));
  const best = bestTargetByAlgorithm(targets);
  const mining: MergedHardwareMining[] = [];
  for (const row of rows.values()) {
    if (!isAlgorithmKey(row.algorithm)) continue;
    mining.push(valued({ ...row, algorithm: row.algorithm }, best.get(row.algorithm), options.usdPerKwh));
  }
  return { devices: [...devices.values()], mining };
}

/** One device × algorithm from its benchmarks: median hashrate and power. */
function figures(obs: readonly HardwareObservation[]): HardwareMiningState {
  const first = obs[0]!;
  const powers = obs.flatMap((o) => (o.powerW !== undefined ? [o.powerW] : []));
  const row: HardwareMiningState = {
    hardware: first.hardware,
    algorithm: first.algorithm,
    hashrateHs: median(obs.map((o) => o.hashrateHs)),
    source: [...new Set(obs.map((o) => o.source))].join(','),
    sources: Object.fromEntries(
      obs.map((o) => [
        o.source,
        { hashrateHs: o.hashrateHs, ...(o.powerW !== undefined ? { powerW: o.powerW } : {}) },
      ]),
    ),
    updatedAt: new Date(Math.max(...obs.map((o) => o.observedAt.getTime()))),
  };
  if (powers.length > 0) row.powerW = median(powers);
  return row;
}

function valued(
  row: MergedHardwareMining,
  target: MiningTarget | undefined,
  usdPerKwh: number,
): MergedHardwareMining {
  const {
    bestCoin: _c,
    bestPool: _p,
    revenueUsdPerDay: _r,
    costUsdPerDay: _k,
    profitUsdPerDay: _f,
    ...figures
  } = row;
  if (!target) return figures;
  const economics = deviceEconomics({
    hashrateHs: row.hashrateHs,
    powerW: row.powerW ?? 0,
    usdPerHsDay: target.usdPerHsDay,
    feeFraction: target.feeFraction,
    usdPerKwh,
  });
  return {
    ...figures,
    bestCoin: target.coin,
    ...(target.poolKey ? { bestPool: target.poolKey } : {}),
    ...economics,
  };
}

function rank(source: string): number {
  const i = NAME_PREFERENCE.indexOf(source);
  return i === -1 ? NAME_PREFERENCE.length : i;
}

/** The target paying most per H/s after its fee, per algorithm; ties go to the first key in code-unit order. */
function bestTargetByAlgorithm(targets: readonly MiningTarget[]): Map<AlgorithmKey, MiningTarget> {
  const net = (t: MiningTarget) => poolUsdPerHsDay(t.usdPerHsDay, t.feeFraction);
  const key = (t: MiningTarget) => t.poolKey ?? t.coin;
  const best = new Map<AlgorithmKey, MiningTarget>();
  for (const t of targets) {
    const current = best.get(t.algorithm);
    if (!current || net(t) > net(current) || (net(t) === net(current) && key(t) < key(current)))
      best.set(t.algorithm, t);
  }
  return best;
}
