// The composition root: turns a Config into running parts (database, aggregator, API) with their dependencies.

import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import {
  type Aggregator,
  createAggregator,
  createCollectors,
  createLeadership,
  ingestOptionsFrom,
} from '@smart-mining/aggregator';
import { buildApp } from '@smart-mining/api';
import { assertDataDirFree, createDb, createToken, type Db, migrate, type SourceRun } from '@smart-mining/db';
import { type Config, createAggregatorMetrics, type Logger } from '@smart-mining/platform';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';

/** Which roles a process runs: its PostgreSQL pool is sized for them (`database.pool`). */
export type DbRole = 'api' | 'aggregator' | 'start' | 'tool';

export function poolSizeFor(config: Config, role: DbRole): number {
  const { api, aggregator } = config.database.pool;
  if (role === 'api') return api;
  if (role === 'aggregator') return aggregator;
  if (role === 'start') return api + aggregator;
  // One-shot commands (migrate, token, backtest) run one statement at a time.
  return 2;
}

/** Refuses at once when another process holds the embedded database (PostgreSQL and memory are shared or own). */
export function assertDatabaseFree(config: Config): void {
  const { url, dataDir } = config.database;
  if (!url && !dataDir.startsWith('memory://')) assertDataDirFree(dataDir);
}

/**
 * Opens and migrates the configured database, its pool sized for `role`; closes it again (freeing a PGlite
 * lock) when migrating fails.
 */
export async function openDatabase(config: Config, logger: Logger, role: DbRole = 'tool'): Promise<Db> {
  const url = config.database.url;
  const db = await createDb(
    url
      ? {
          databaseUrl: url,
          maxConnections: poolSizeFor(config, role),
          applicationName: `smart-mining ${role}`,
        }
      : { dataDir: config.database.dataDir },
  );
  let applied: string[];
  try {
    applied = await migrate(db);
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  logger.info(
    { database: url ? redactUrl(url) : `pglite:${config.database.dataDir}`, migrationsApplied: applied },
    'database ready',
  );
  return db;
}

export interface ComposeDeps {
  fetch?: typeof globalThis.fetch;
  now?: () => Date;
  /** Where the aggregator's metrics go (in one process: the API's /metrics). */
  registry?: Registry;
  /** Called as each source run finishes (progress lines, the offline hint). */
  onSourceRun?: (run: SourceRun) => void;
  /** The aggregator's name in the lease (default: host, pid and a random part). */
  instanceName?: string;
}

/** A name for this aggregator in the lease and in source_runs: host, process and a random part (unique). */
export function aggregatorInstanceName(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export function buildAggregator(config: Config, db: Db, logger: Logger, deps: ComposeDeps = {}): Aggregator {
  const log = logger.child({ role: 'aggregator' });
  const leadership = createLeadership({
    db,
    holder: deps.instanceName ?? aggregatorInstanceName(),
    ttlS: config.aggregator.lease.ttlS,
    renewS: config.aggregator.lease.renewS,
    logger: log,
  });
  const collectors = createCollectors(config, {
    db,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.now ? { now: deps.now } : {}),
  });
  return createAggregator({
    db,
    collectors,
    logger: log,
    leadership,
    intervalsS: Object.fromEntries(collectors.map((c) => [c.source, intervalOf(config, c.source)])),
    jitterS: config.aggregator.jitterS,
    historyRetentionS: config.aggregator.historyRetentionDays * 86_400,
    ingestOptions: ingestOptionsFrom(config),
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.registry ? { metrics: createAggregatorMetrics(deps.registry) } : {}),
    ...(deps.onSourceRun ? { onSourceRun: deps.onSourceRun } : {}),
  });
}

function intervalOf(config: Config, source: string): number {
  const key = source === '2miners' ? 'twominers' : source;
  return config.aggregator.sources[key as keyof Config['aggregator']['sources']].intervalS;
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/**
 * Where the dashboard's build (run by npm ci) puts the pages the API serves at /. Resolved through the workspace
 * package, so it holds from the sources and from the bundled command alike.
 */
export const DASHBOARD_DIR = join(
  dirname(createRequire(import.meta.url).resolve('@smart-mining/dashboard/package.json')),
  'dist',
);

/** Sources this configuration skips (an API key not set), as /v1/sources reports them. */
function skippedSources(config: Config, db: Db) {
  return createCollectors(config, { db }).flatMap((c) =>
    c.skipReason ? [{ source: c.source, reason: c.skipReason }] : [],
  );
}

/** A registry with Node's default process metrics, for one process's /metrics. */
export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * A fresh proxy token for a proxy running in this process (the one named `in-process` before it is revoked):
 * the proxy sends it on its reports as any other proxy does.
 */
export async function issueInProcessProxyToken(db: Db): Promise<string> {
  return (await createToken(db, { name: 'in-process', replace: true })).token;
}

/** Builds the API on `db` and listens on the configured address. */
export async function startApi(
  config: Config,
  db: Db,
  logger: Logger,
  registry: Registry = createRegistry(),
): Promise<FastifyInstance> {
  const app = await buildApp({
    db,
    logger: logger.child({ role: 'api' }),
    registry,
    dashboardDir: DASHBOARD_DIR,
    staleness: config.aggregator.staleness,
    sourceSkips: skippedSources(config, db),
    ...(config.secrets.apiToken ? { apiToken: config.secrets.apiToken } : {}),
  });
  if (!config.secrets.apiToken)
    logger.info('no SM_API_TOKEN (the admin token) set: profile writes are refused');
  try {
    await app.listen({ host: config.api.host, port: config.api.port });
  } catch (error) {
    await app.close();
    throw error;
  }
  // The bound port, which differs from the configured one when that is 0 (any free port).
  const address = app.server.address();
  const port = address && typeof address === 'object' ? address.port : config.api.port;
  logger.info({ url: `http://${config.api.host}:${port}`, docs: '/docs' }, 'API listening');
  return app;
}
