// Validated hashrate.no rows → our observations (H/s, W, USD); pure, so fixtures test it without a server.

import {
  type AlgorithmKey,
  algorithmFromAlias,
  type CoinObservation,
  type HardwareObservation,
  hardwareKey,
  withoutUndefined,
} from '@smart-mining/domain';
import type { HashratenoBenchmark, HashratenoCoin } from './schema.ts';

const KINDS: readonly HardwareObservation['kind'][] = ['gpu', 'cpu', 'asic', 'fpga'];

/**
 * `observedAt` is when the body was fetched (the cache entry's time): hashrate.no states no measurement time, and a
 * cached body must not look fresher than it is.
 */
export function normalizeHashratenoCoins(
  rows: readonly [string, HashratenoCoin][],
  observedAt: Date,
  warnings: string[],
): CoinObservation[] {
  const out: CoinObservation[] = [];
  for (const [coin, row] of rows) {
    const algorithm = algorithmFromAlias(row.algorithm);
    if (!algorithm) {
      warnings.push(`hashrate.no /coins: ${coin}: unknown algorithm "${row.algorithm}"; row skipped`);
      continue;
    }
    out.push(
      withoutUndefined<CoinObservation>({
        source: 'hashrateno',
        coin,
        observedAt,
        name: row.name ?? undefined,
        algorithm,
        priceUsd: row.price.USD,
        volume24hUsd: row.price.volume ?? undefined,
        networkHashrateHs: row.network?.hashrate ?? undefined,
        difficulty: row.network?.difficulty ?? undefined,
      }),
    );
  }
  return out;
}

/**
 * Benchmarks of one coin: the response does not name the algorithm, so it is the coin's algorithm from the domain
 * (passed in by the caller), never read from elsewhere.
 */
export function normalizeHashratenoBenchmarks(
  rows: readonly [string, HashratenoBenchmark][],
  algorithm: AlgorithmKey,
  observedAt: Date,
  warnings: string[],
): HardwareObservation[] {
  const out: HardwareObservation[] = [];
  for (const [id, row] of rows) {
    const kind = KINDS.find((k) => k === row.deviceType.toLowerCase());
    if (!kind || !(row.hashrate > 0)) {
      const why = kind ? `hashrate ${row.hashrate}` : `unknown device type "${row.deviceType}"`;
      warnings.push(`hashrate.no /benchmarks: ${id} (${row.name}): ${why}; skipped`);
      continue;
    }
    out.push(
      withoutUndefined<HardwareObservation>({
        source: 'hashrateno',
        hardware: hardwareKey(row.brandID, row.name),
        name: row.name,
        vendor: row.brandID,
        kind,
        algorithm,
        hashrateHs: row.hashrate,
        powerW: row.power && row.power > 0 ? row.power : undefined,
        observedAt,
      }),
    );
  }
  return out;
}

/**
 * `nvidia` + `RTX 4090` → `nvidia-rtx-4090`, the same slug Minerstat's `url` gives the device. A name that already
 * starts with the brand (`NVIDIA RTX 4090`) does not repeat it.
 */
