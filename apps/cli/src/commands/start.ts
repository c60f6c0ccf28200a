// `smart-mining start` / `npm start`: every role in one process (aggregator + API) on one database.

import { type Config, createLogger, loadConfig, onShutdown } from '@smart-mining/platform';
import { buildAggregator, createRegistry, openDatabase, startApi } from '../compose.ts';
import { offlineHint } from '../offline-hint.ts';
import { assertPortFree } from '../port-check.ts';

export interface ServeDeps {
  config?: Config;
  /** Checks the API's address before the database is opened; tests replace it to reach the later failure. */
  checkPort?: (host: string, port: number) => Promise<void>;
}

export async function startCommand(deps: ServeDeps = {}): Promise<number> {
  const config = deps.config ?? loadConfig();
  const logger = createLogger(config.log.level);
  await (deps.checkPort ?? assertPortFree)(config.api.host, config.api.port);
  const db = await openDatabase(config, logger, 'start');
  // One registry: the API's /metrics also shows the aggregator's.
  const registry = createRegistry();
  const app = await startApi(config, db, logger, registry).catch(async (error) => {
    await db.close();
    throw error;
  });
  const aggregator = buildAggregator(config, db, logger, {
    registry,
    onSourceRun: offlineHint((hint) => logger.warn(hint)),
  });
  aggregator.start();
  // Closers run newest first: stop the aggregator (finishing its write), then the API, then the database.
  onShutdown(logger, [() => db.close(), () => app.close(), () => aggregator.stop()]);
  return new Promise<number>(() => {});
}
