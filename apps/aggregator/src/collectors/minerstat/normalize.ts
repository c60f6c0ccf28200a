// Validated Minerstat rows → our observations (H/s, W, USD, fractions); pure, so fixtures test it without a server.

import {
  algorithmFromAlias,
  type CoinObservation,
  coinByKey,
  type HardwareObservation,
  type PoolObservation,
  parsePercentFraction,
  slugKey,
  withoutUndefined,
} from '@smart-mining/domain';
import { fromUnixSeconds } from '../unix-time.ts';
import type { MinerstatCoin, MinerstatDevice, MinerstatPool } from './schema.ts';

/** Minerstat's `reward` is per H/s per hour (fixtures README §4, cross-check A); a per-day reading is 24× off. */
const HOURS_PER_DAY = 24;
const KINDS: readonly HardwareObservation['kind'][] = ['gpu', 'cpu', 'asic', 'fpga'];

/** `fetchedAt` stands in for `observedAt` only when a row carries no `updated` time. */
export function normalizeMinerstatCoins(
  rows: readonly MinerstatCoin[],
  fetchedAt: Date,
  warnings: string[],
): CoinObservation[] {
  const out: CoinObservation[] = [];
  for (const row of rows) {
    const observation = coinObservation(row, fetchedAt, warnings);
    if (observation) out.push(observation);
  }
  return out;
}

function coinObservation(
  row: MinerstatCoin,
  fetchedAt: Date,
  warnings: string[],
): CoinObservation | undefined {
  const identity = coinByKey(row.coin);
  if (!identity) {
    warnings.push(`minerstat /coins: ${row.coin}: not a tracked coin; row skipped`);
    return undefined;
  }
  const algorithm = algorithmFromAlias(row.algorithm);
  if (!algorithm) {
    warnings.push(`minerstat /coins: ${row.coin}: unknown algorithm "${row.algorithm}"; row skipped`);
    return undefined;
  }
  const priceUsd = known(row.price);
  const rewardPerHsHour = known(row.reward);
  const updatedS = known(row.updated);
  return withoutUndefined<CoinObservation>({
    source: 'minerstat',
    coin: identity.key,
    observedAt: fromUnixSeconds(updatedS) ?? fetchedAt,
    name: row.name ?? undefined,
    algorithm,
    priceUsd,
    volume24hUsd: known(row.volume),
    difficulty: known(row.difficulty),
    networkHashrateHs: known(row.network_hashrate),
    blockReward: known(row.reward_block),
    usdPerHsDay:
      rewardPerHsHour !== undefined && priceUsd !== undefined
        ? rewardPerHsHour * HOURS_PER_DAY * priceUsd
        : undefined,
  });
}

/** One observation per device × known algorithm; unknown algorithm names are gathered into one warning. */
export function normalizeMinerstatHardware(
  devices: readonly MinerstatDevice[],
  observedAt: Date,
  warnings: string[],
): HardwareObservation[] {
  const out: HardwareObservation[] = [];
  const unknownAlgorithms = new Set<string>();
  for (const device of devices) {
    const kind = KINDS.find((k) => k === device.type.toLowerCase());
    if (!kind) {
      warnings.push(`minerstat /hardware: ${device.url}: unknown device type "${device.type}"; skipped`);
      continue;
    }
    out.push(...deviceObservations(device, kind, observedAt, unknownAlgorithms, warnings));
  }
  if (unknownAlgorithms.size > 0) {
    const names = [...unknownAlgorithms].sort().join(', ');
    warnings.push(`minerstat /hardware: figures skipped for unknown algorithms: ${names}`);
  }
  return out;
}

function deviceObservations(
  device: MinerstatDevice,
  kind: HardwareObservation['kind'],
  observedAt: Date,
  unknownAlgorithms: Set<string>,
  warnings: string[],
): HardwareObservation[] {
  const out: HardwareObservation[] = [];
  for (const [alias, figures] of Object.entries(device.algorithms)) {
    const algorithm = algorithmFromAlias(alias);
    if (!algorithm) {
      unknownAlgorithms.add(alias);
      continue;
    }
    if (!(figures.hashrate > 0)) {
      warnings.push(`minerstat /hardware: ${device.url} ${alias}: hashrate ${figures.hashrate}; skipped`);
      continue;
    }
    const powerW = known(figures.power);
    out.push(
      withoutUndefined<HardwareObservation>({
        source: 'minerstat',
        hardware: slugKey(device.url),
        name: device.name,
        vendor: device.brand,
        kind,
        algorithm,
        hashrateHs: figures.hashrate,
        powerW: powerW ? powerW : undefined,
        observedAt,
      }),
    );
  }
  return out;
}

/** One observation per pool × tracked coin; combined entries (`ETH+ZIL`) and untracked coins are not ours. */
export function normalizeMinerstatPools(
  pools: readonly MinerstatPool[],
  observedAt: Date,
): PoolObservation[] {
  const out: PoolObservation[] = [];
  for (const pool of pools) {
    for (const [coinKey, entry] of Object.entries(pool.coins)) {
      const identity = coinByKey(coinKey);
      if (!identity) continue;
      out.push(
        withoutUndefined<PoolObservation>({
          source: 'minerstat',
          pool: pool.url.toLowerCase(),
          coin: identity.key,
          observedAt,
          feeFraction: entry.fee ? parsePercentFraction(entry.fee) : undefined,
        }),
      );
    }
  }
  return out;
}

/** The -1 "unknown" sentinel (and null/absent) → undefined; no real figure of these endpoints is negative. */
function known(value: number | null | undefined): number | undefined {
  return value !== null && value !== undefined && value >= 0 ? value : undefined;
}
