// The environment that points the aggregator at a replay server: each source's URL, and a stand-in key for the
// two sources that need one (the replay server accepts any key).

import type { ReplayBaseUrls } from './replay-server.ts';

export function replayEnvironment(urls: ReplayBaseUrls): Record<string, string> {
  return {
    SM_SOURCE_BINANCE_URL: urls.binance,
    SM_SOURCE_COINGECKO_URL: urls.coingecko,
    SM_SOURCE_HASHRATENO_URL: urls.hashrateno,
    SM_SOURCE_MINERSTAT_URL: urls.minerstat,
    SM_SOURCE_WHATTOMINE_URL: urls.whattomine,
    SM_SOURCE_NANOPOOL_URL: urls.nanopool,
    SM_SOURCE_TWOMINERS_URL: urls.twominers,
    MINERSTAT_API_KEY: 'replay',
    HASHRATENO_API_KEY: 'replay',
  };
}
