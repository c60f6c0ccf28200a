// Shared set-up for whole-system tests: configuration pointed at a replay server, and a fixed clock. Tests pass
// the server's in-process `fetch` to the aggregator: no socket, so no timeout fires on a loaded machine.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, loadConfig, setPath } from '@smart-mining/platform';
import { type ReplayServer, replayEnvironment } from '@smart-mining/testkit';

/** Four minutes after the fixtures' snapshot, so nothing in them is stale yet. */
export const SNAPSHOT_NOW = new Date('2024-02-16T16:40:00Z');

/**
 * `file`: what a config file would hold (e.g. `{ pools: [...] }`), applied under the replay's settings; `more`:
 * further settings over the defaults (intervals, lease).
 */
export function replayConfig(
  server: ReplayServer,
  env: NodeJS.ProcessEnv = {},
  file: Record<string, unknown> = {},
  more: (raw: Record<string, unknown>) => void = () => {},
): Config {
  return loadConfig({
    file: null,
    env: { ...replayEnvironment(server.baseUrls), ...env },
    overrides: (raw) => {
      for (const [key, value] of Object.entries(file)) setPath(raw, [key], value);
      // No request spacing (the replay server is local and has no rate limit); a timeout that a loaded machine
      // still meets, short enough that an injected timeout fault stays a few seconds.
      for (const source of Object.keys(server.baseUrls)) {
        setPath(raw, ['aggregator', 'sources', source, 'timeoutMs'], 2000);
        setPath(raw, ['aggregator', 'sources', source, 'minIntervalMs'], 0);
      }
      more(raw);
    },
  });
}

/**
 * The environment of a `smart-mining` process pointed at a replay server, with a config file in `dir`: no
 * request spacing, one attempt, Binance every `intervalS` and the other sources once an hour, no jitter, the
 * given lease and history heartbeat; `file`: further top-level sections of the config file (`pools`, `proxy`).
 */
export function replayProcessEnv(
  server: ReplayServer,
  dir: string,
  {
    intervalS = 4,
    leaseS = 2,
    renewS = 0.5,
    historyHeartbeatS = 600,
    file = {},
  }: {
    intervalS?: number;
    leaseS?: number;
    renewS?: number;
    historyHeartbeatS?: number;
    file?: Record<string, unknown>;
  } = {},
): NodeJS.ProcessEnv {
  const sources = Object.keys(server.baseUrls);
  const config = {
    ...file,
    aggregator: {
      jitterS: 0,
      historyHeartbeatS,
      lease: { ttlS: leaseS, renewS },
      sources: Object.fromEntries(
        sources.map((s) => [
          s,
          { minIntervalMs: 0, attempts: 1, timeoutMs: 5000, intervalS: s === 'binance' ? intervalS : 3600 },
        ]),
      ),
    },
  };
  const path = join(dir, 'smart-mining.config.json');
  writeFileSync(path, JSON.stringify(config));
  return { ...replayEnvironment(server.baseUrls), SM_CONFIG: path };
}
