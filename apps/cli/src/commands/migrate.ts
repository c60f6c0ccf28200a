// `smart-mining migrate`: applies pending migrations and exits.

import { createLogger, loadConfig } from '@smart-mining/platform';
import { openDatabase } from '../compose.ts';

export async function migrateCommand(): Promise<number> {
  const config = loadConfig();
  const db = await openDatabase(config, createLogger(config.log.level));
  await db.close();
  return 0;
}
