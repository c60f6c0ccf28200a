// `smart-mining start` / `npm start`: all roles in one process.

import { createLogger, loadConfig, onShutdown } from '@smart-mining/platform';
import { buildAggregator, openDatabase } from '../compose.ts';

export async function startCommand(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.log.level);
  const db = await openDatabase(config, logger);
  const aggregator = buildAggregator(config, db, logger);
  aggregator.start();
  onShutdown(logger, [() => db.close(), () => aggregator.stop()]);
  return new Promise<number>(() => {});
}
