// `smart-mining api`: the API alone (scale out: many instances over one PostgreSQL behind a load balancer).

import { createLogger, loadConfig, onShutdown } from '@smart-mining/platform';
import { openDatabase, startApi } from '../compose.ts';

export async function apiCommand(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.log.level);
  if (!config.database.url)
    logger.warn('no DATABASE_URL: the API runs on the embedded database of this process only');
  const db = await openDatabase(config, logger);
  const app = await startApi(config, db, logger);
  onShutdown(logger, [() => db.close(), () => app.close()]);
  return new Promise<number>(() => {});
}
