// Test builder shared by the cycle's tests: one ETC market (a price, network figures, a 2Miners pool and a device),
// every datum measured at a chosen time; values from the fixtures README, cross-check C.

import type { SourceSnapshot } from '@smart-mining/domain';
import { loadConfig } from '@smart-mining/platform';
import type { IngestOptions } from './ingest.ts';
import { ingestOptionsFrom } from './ingest-options.ts';

/** The ingest's rules as configured by default (no file, no environment). */
export const DEFAULT_OPTIONS: IngestOptions = ingestOptionsFrom(loadConfig({ file: null, env: {} }));

export interface EtcMarket {
  /** Time of the coin and device data. */
  dataAt: Date;
  priceUsd?: number;
  difficulty?: number;
  /** Time of the pool's data; `dataAt` when omitted. */
  poolAt?: Date;
}

export function etcMarket({
  dataAt,
  priceUsd = 27.61,
  difficulty = 2.2532e15,
  poolAt = dataAt,
}: EtcMarket): SourceSnapshot {
  return {
    coins: [
      { source: 'coingecko', coin: 'ETC', observedAt: dataAt, priceUsd, volume24hUsd: 84_531_222 },
      {
        source: 'whattomine',
        coin: 'ETC',
        observedAt: dataAt,
        difficulty,
        blockReward: 2.56,
        blockTimeS: 13.1,
        networkHashrateHs: 1.72e14,
      },
    ],
    pools: [
      {
        source: '2miners',
        pool: '2miners',
        coin: 'ETC',
        observedAt: poolAt,
        feeFraction: 0.01,
        hashrateHs: 9.4e12,
        miners: 2417,
        endpoints: [{ host: 'etc.2miners.com', port: 1010, tls: false, dialect: 'ethereum-stratum' }],
      },
    ],
    hardware: [
      {
        source: 'minerstat',
        hardware: 'nvidia-rtx-3080',
        name: 'RTX 3080',
        vendor: 'nvidia',
        kind: 'gpu',
        algorithm: 'etchash',
        hashrateHs: 97.2e6,
        powerW: 240,
        observedAt: dataAt,
      },
    ],
  };
}
