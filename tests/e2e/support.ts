// Shared set-up for whole-system tests: configuration pointed at a replay server, and a fixed clock. Tests pass
// the server's in-process `fetch` to the aggregator: no socket, so no timeout fires on a loaded machine.

import { type Config, loadConfig, setPath } from '@smart-mining/platform';
import type { ReplayServer } from '@smart-mining/testkit';

/** Four minutes after the fixtures' snapshot, so nothing in them is stale yet. */
export const SNAPSHOT_NOW = new Date('2024-02-16T16:40:00Z');

/** `file`: what a config file would hold (e.g. `{ pools: [...] }`), applied under the replay's settings. */
export function replayConfig(
  server: ReplayServer,
  env: NodeJS.ProcessEnv = {},
  file: Record<string, unknown> = {},
): Config {
  const u = server.baseUrls;
  return loadConfig({
    file: null,
    env: {
      MINERSTAT_API_KEY: 'test-key',
      HASHRATENO_API_KEY: 'test-key',
      SM_SOURCE_BINANCE_URL: u.binance,
      SM_SOURCE_COINGECKO_URL: u.coingecko,
      SM_SOURCE_HASHRATENO_URL: u.hashrateno,
      SM_SOURCE_MINERSTAT_URL: u.minerstat,
      SM_SOURCE_WHATTOMINE_URL: u.whattomine,
      SM_SOURCE_NANOPOOL_URL: u.nanopool,
      SM_SOURCE_TWOMINERS_URL: u.twominers,
      ...env,
    },
    overrides: (raw) => {
      for (const [key, value] of Object.entries(file)) setPath(raw, [key], value);
      // No request spacing (the replay server is local and has no rate limit); a timeout that a loaded machine
      // still meets, short enough that an injected timeout fault stays a few seconds.
      for (const source of [
        'binance',
        'coingecko',
        'hashrateno',
        'minerstat',
        'whattomine',
        'nanopool',
        'twominers',
      ]) {
        setPath(raw, ['aggregator', 'sources', source, 'timeoutMs'], 2000);
        setPath(raw, ['aggregator', 'sources', source, 'minIntervalMs'], 0);
      }
    },
  });
}
