// `smart-mining api`: the API alone (scale out: many instances over one PostgreSQL behind a load balancer).

import { createLogger, loadConfig, onShutdown } from '@smart-mining/platform';
import { assertDatabaseFree, openDatabase, startApi } from '../compose.ts';
import { assertPortFree } from '../port-check.ts';
import type { ServeDeps } from './start.ts';

export async function apiCommand(deps: ServeDeps = {}): Promise<number> {
  const config = deps.config ?? loadConfig();
  const logger = createLogger(config.log.level);
  if (!config.database.url)
    logger.warn('no DATABASE_URL: the API runs on the embedded database of this process only');
  // A second process on the same embedded database is named first: its ports are the same ones too.
  assertDatabaseFree(config);
  await (deps.checkPort ?? assertPortFree)(config.api.host, config.api.port);
  const db = await openDatabase(config, logger, 'api');
  const app = await startApi(config, db, logger).catch(async (error) => {
    await db.close();
    throw error;
  });
  onShutdown(logger, [() => db.close(), () => app.close()]);
  return new Promise<number>(() => {});
}
