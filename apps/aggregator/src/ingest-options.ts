// The ingest's rules as configured: staleness limits, trust, electricity price, history heartbeat.

import type { Config } from '@smart-mining/platform';
import type { IngestOptions } from './ingest.ts';

export function ingestOptionsFrom(config: Config): IngestOptions {
  const { staleness, trust, electricityUsdPerKwh, historyHeartbeatS } = config.aggregator;
  return {
    maxDeviationFraction: trust.maxDeviationFraction,
    minVolume24hUsd: trust.minVolume24hUsd,
    maxQuoteLagS: trust.maxQuoteLagS,
    priceStaleS: staleness.priceS,
    networkStaleS: staleness.networkS,
    poolStaleS: staleness.poolS,
    hardwareStaleS: staleness.hardwareS,
    usdPerKwh: electricityUsdPerKwh,
    historyHeartbeatS,
    declaredPools: config.pools,
  };
}
