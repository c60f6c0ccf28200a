// The composition root: turns a Config into running parts (database, aggregator, API) with their dependencies.

import {
  type Aggregator,
  createAggregator,
  createCollectors,
  ingestOptionsFrom,
} from '@smart-mining/aggregator';
import { buildApp } from '@smart-mining/api';
import { createDb, type Db, migrate } from '@smart-mining/db';
import type { Config, Logger } from '@smart-mining/platform';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';

export async function openDatabase(config: Config, logger: Logger): Promise<Db> {
  const url = config.database.url;
  const db = await createDb(url ? { databaseUrl: url } : { dataDir: config.database.dataDir });
  const applied = await migrate(db);
  logger.info(
    { database: url ? redactUrl(url) : `pglite:${config.database.dataDir}`, migrationsApplied: applied },
    'database ready',
  );
  return db;
}

export interface ComposeDeps {
  fetch?: typeof globalThis.fetch;
  now?: () => Date;
}

export function buildAggregator(config: Config, db: Db, logger: Logger, deps: ComposeDeps = {}): Aggregator {
  const collectors = createCollectors(config, { db, ...deps });
  return createAggregator({
    db,
    collectors,
    logger: logger.child({ role: 'aggregator' }),
    intervalsS: Object.fromEntries(collectors.map((c) => [c.source, intervalOf(config, c.source)])),
    jitterS: config.aggregator.jitterS,
    ingestOptions: ingestOptionsFrom(config),
    ...(deps.now ? { now: deps.now } : {}),
  });
}

function intervalOf(config: Config, source: string): number {
  const key = source === '2miners' ? 'twominers' : source;
  return config.aggregator.sources[key as keyof Config['aggregator']['sources']].intervalS;
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** Builds the API on `db` and listens on the configured address. */
export async function startApi(config: Config, db: Db, logger: Logger): Promise<FastifyInstance> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const app = await buildApp({
    db,
    logger: logger.child({ role: 'api' }),
    registry,
    ...(config.secrets.apiToken ? { apiToken: config.secrets.apiToken } : {}),
  });
  if (!config.secrets.apiToken)
    logger.info('no SM_API_TOKEN set: profile writes and proxy reports are refused');
  await app.listen({ host: config.api.host, port: config.api.port });
  logger.info({ url: `http://${config.api.host}:${config.api.port}`, docs: '/docs' }, 'API listening');
  return app;
}
