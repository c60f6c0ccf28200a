// Which observations of a source run are already too old to use, said once per run so the run records why.

import type { SourceSnapshot } from '@smart-mining/domain';

export interface StalenessLimits {
  priceStaleS: number;
  networkStaleS: number;
  poolStaleS: number;
  hardwareStaleS: number;
}

const NETWORK_FIELDS = ['difficulty', 'networkHashrateHs', 'blockTimeS', 'blockReward'] as const;

/**
 * One line per kind of datum older than its limit, by the time of the data (DESIGN.md: staleness is judged by
 * that time): such data is never used, and without this line it would vanish without a trace.
 */
export function staleDataWarnings(snapshot: SourceSnapshot, now: Date, limits: StalenessLimits): string[] {
  const found = new Map<string, { limitS: number; items: string[] }>();
  const check = (kind: string, limitS: number, name: string, at: Date) => {
    const ageS = Math.round((now.getTime() - at.getTime()) / 1000);
    if (ageS <= limitS) return;
    const entry = found.get(kind) ?? { limitS, items: [] };
    entry.items.push(`${name} ${ageS} s`);
    found.set(kind, entry);
  };
  for (const o of snapshot.coins) {
    if (o.priceUsd !== undefined || o.usdPerHsDay !== undefined)
      check('price', limits.priceStaleS, o.coin, o.observedAt);
    if (NETWORK_FIELDS.some((f) => o[f] !== undefined))
      check('network data', limits.networkStaleS, o.coin, o.observedAt);
  }
  for (const p of snapshot.pools) check('pool data', limits.poolStaleS, `${p.pool}:${p.coin}`, p.observedAt);
  for (const h of snapshot.hardware)
    check('benchmarks', limits.hardwareStaleS, `${h.hardware} ${h.algorithm}`, h.observedAt);
  return [...found].map(
    ([kind, { limitS, items }]) => `stale ${kind}, not used (older than ${limitS} s): ${items.join(', ')}`,
  );
}

/**
 * A data time later than the fetch is a source's clock running ahead: taken as the fetch time, or that quote would
 * outrank (and supersede) every honest one and keep a newer answer from replacing it.
 */
export function dataTimesUpTo(snapshot: SourceSnapshot, fetchedAt: Date, warnings: string[]): SourceSnapshot {
  const limitMs = fetchedAt.getTime();
  let ahead = 0;
  const clamp = <T extends { observedAt: Date }>(o: T): T => {
    if (o.observedAt.getTime() <= limitMs) return o;
    ahead += 1;
    return { ...o, observedAt: fetchedAt };
  };
  const out = {
    coins: snapshot.coins.map(clamp),
    pools: snapshot.pools.map(clamp),
    hardware: snapshot.hardware.map(clamp),
  };
  if (ahead > 0)
    warnings.push(`${ahead} observation(s) dated after the fetch (source clock ahead): taken as fetched now`);
  return out;
}
