// `smart-mining start` / `npm start`: every role in one process (aggregator + API) on one database.

import { createLogger, loadConfig, onShutdown } from '@smart-mining/platform';
import { buildAggregator, openDatabase, startApi } from '../compose.ts';

export async function startCommand(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.log.level);
  const db = await openDatabase(config, logger);
  const app = await startApi(config, db, logger);
  const aggregator = buildAggregator(config, db, logger);
  aggregator.start();
  // Closers run newest first: stop the aggregator (finishing its write), then the API, then the database.
  onShutdown(logger, [() => db.close(), () => app.close(), () => aggregator.stop()]);
  return new Promise<number>(() => {});
}
