// Merges device benchmarks per hardware × algorithm and prices them at the configured electricity cost.

import { type AlgorithmKey, deviceEconomics, type HardwareObservation } from '@smart-mining/domain';
import { median } from './consensus.ts';
import type { MergedCoin } from './merge-coins.ts';

export interface MergedDevice {
  hardware: string;
  name: string;
  vendor: string;
  kind: HardwareObservation['kind'];
  updatedAt: Date;
}

export interface MergedHardwareMining {
  hardware: string;
  algorithm: AlgorithmKey;
  hashrateHs: number;
  powerW?: number;
  source: string;
  sources: Record<string, { hashrateHs: number; powerW?: number }>;
  bestCoin?: string;
  revenueUsdPerDay?: number;
  costUsdPerDay?: number;
  profitUsdPerDay?: number;
  updatedAt: Date;
}

/** Minerstat names devices most completely; it goes first when sources name one device differently. */
const NAME_PREFERENCE = ['minerstat', 'hashrateno'];

export function mergeHardware(
  observations: readonly HardwareObservation[],
  coins: readonly MergedCoin[],
  usdPerKwh: number,
): { devices: MergedDevice[]; mining: MergedHardwareMining[] } {
  const ordered = [...observations].sort(
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
  const best = bestCoinByAlgorithm(coins);
  const mining: MergedHardwareMining[] = [];
  for (const obs of groups.values()) {
    const first = obs[0]!;
    const hashrateHs = median(obs.map((o) => o.hashrateHs));
    const powers = obs.flatMap((o) => (o.powerW !== undefined ? [o.powerW] : []));
    const row: MergedHardwareMining = {
      hardware: first.hardware,
      algorithm: first.algorithm,
      hashrateHs,
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
    const coin = best.get(first.algorithm);
    if (coin?.usdPerHsDay !== undefined) {
      const e = deviceEconomics({
        hashrateHs,
        powerW: row.powerW ?? 0,
        usdPerHsDay: coin.usdPerHsDay,
        usdPerKwh,
      });
      Object.assign(row, {
        bestCoin: coin.coin,
        revenueUsdPerDay: e.revenueUsdPerDay,
        costUsdPerDay: e.costUsdPerDay,
        profitUsdPerDay: e.profitUsdPerDay,
      });
    }
    mining.push(row);
  }
  return { devices: [...devices.values()], mining };
}

function rank(source: string): number {
  const i = NAME_PREFERENCE.indexOf(source);
  return i === -1 ? NAME_PREFERENCE.length : i;
}

/** The trusted coin paying most per H/s for each algorithm. */
function bestCoinByAlgorithm(coins: readonly MergedCoin[]): Map<AlgorithmKey, MergedCoin> {
  const best = new Map<AlgorithmKey, MergedCoin>();
  for (const c of coins) {
    if (!c.trusted || c.usdPerHsDay === undefined) continue;
    const current = best.get(c.algorithm);
    if (!current || c.usdPerHsDay > (current.usdPerHsDay ?? 0)) best.set(c.algorithm, c);
  }
  return best;
}
