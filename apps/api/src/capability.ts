// What the asking miner can do (MinerCapability): from a device's hardware_mining rows or ?algorithms= + ?hashrateHs=.

import { ALGORITHMS, type AlgorithmKey, isAlgorithmKey, type MinerCapability } from '@smart-mining/domain';
import { ApiError } from './errors.ts';
import type { MarketSnapshot } from './market-cache.ts';

export interface CapabilityQuery {
  hardware?: string;
  algorithms?: AlgorithmKey[];
  /** One value for every algorithm, or one per algorithm in `algorithms` order. */
  hashratesHs?: number[];
}

function fromHashrates(algorithms: readonly AlgorithmKey[], hashratesHs: number[]): MinerCapability {
  if (hashratesHs.length !== 1 && hashratesHs.length !== algorithms.length) {
    throw ApiError.badParameter('querystring/hashrateHs', 'must be one value or one per algorithm');
  }
  return {
    algorithms: algorithms.map((algorithm, i) => ({
      algorithm,
      hashrateHs: hashratesHs[hashratesHs.length === 1 ? 0 : i]!,
    })),
  };
}

/** On a database without any device yet, says why (no hardware data) and where to look, not only "unknown". */
function unknownDevice(market: MarketSnapshot, hardware: string): string {
  const unknown = `is not a known device: ${hardware}`;
  if (market.deviceCount > 0) return unknown;
  return (
    `${unknown}; no hardware data has arrived yet. Devices come from Minerstat (MINERSTAT_API_KEY), ` +
    "Hashrate.no (HASHRATENO_API_KEY) and WhatToMine: /health shows each source's last run; " +
    'offline, `smart-mining replay` serves a recorded market'
  );
}

function fromHardware(
  market: MarketSnapshot,
  hardware: string,
  connectionAlgorithms: AlgorithmKey[] | undefined,
): MinerCapability {
  if (!market.device(hardware))
    throw ApiError.badParameter('querystring/hardware', unknownDevice(market, hardware));
  const rows = market.mining(hardware);
  const capability: MinerCapability = {
    hardware,
    algorithms: rows.flatMap((r) =>
      isAlgorithmKey(r.algorithm)
        ? [
            {
              algorithm: r.algorithm,
              hashrateHs: r.hashrateHs,
              ...(r.powerW === null ? {} : { powerW: r.powerW }),
            },
          ]
        : [],
    ),
  };
  if (connectionAlgorithms) capability.connectionAlgorithms = connectionAlgorithms;
  return capability;
}

/**
 * Hardware wins when given: every algorithm it can mine at its measured hashrate and power, with
 * `algorithms` (if given) as the connection's algorithms (profile scope `algorithm` ranks only those);
 * otherwise `algorithms` (every known algorithm when `allowAll`) at the given or default hashrate.
 */
export function resolveCapability(
  market: MarketSnapshot,
  query: CapabilityQuery,
  options: { defaultHashrateHs: number; allowAll: boolean },
): MinerCapability {
  if (query.hardware) {
    // Ignored silently, a hashrate would look taken while the device's measured ones were used.
    if (query.hashratesHs) {
      throw ApiError.badParameter(
        'querystring/hashrateHs',
        "is not taken with hardware: the device's measured hashrates apply (leave out one of them)",
      );
    }
    return fromHardware(market, query.hardware, query.algorithms);
  }
  const algorithms = query.algorithms ?? (options.allowAll ? [...ALGORITHMS] : undefined);
  if (!algorithms) {
    throw ApiError.badParameter('querystring/algorithms', 'is required unless hardware is given');
  }
  return fromHashrates(algorithms, query.hashratesHs ?? [options.defaultHashrateHs]);
}
