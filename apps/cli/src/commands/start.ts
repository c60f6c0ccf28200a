// `smart-mining start` / `npm start`: every role in one process (aggregator + API) on one database.

import { createLogger, loadConfig, onShutdown } from '@smart-mining/platform';
import { buildAggregator, createRegistry, openDatabase, startApi } from '../compose.ts';

export async function startCommand(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.log.level);
  const db = await openDatabase(config, logger);
  // One registry: the API's /metrics also shows the aggregator's.
  const registry = createRegistry();
  const app = await startApi(config, db, logger, registry);
  const aggregator = buildAggregator(config, db, logger, { registry });
  aggregator.start();
  // Closers run newest first: stop the aggregator (finishing its write), then the API, then the database.
  onShutdown(logger, [() => db.close(), () => app.close(), () => aggregator.stop()]);
  return new Promise<number>(() => {});
}
