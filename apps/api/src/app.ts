// buildApp(deps): the HTTP API as a Fastify instance (no listen), with schemas, OpenAPI at /docs, SSE and metrics.

import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Db } from '@smart-mining/db';
import { ensureBuiltInProfiles } from '@smart-mining/db';
import { BUILT_IN_PROFILES } from '@smart-mining/domain';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import type { AppContext, DecisionDefaults, HealthOptions } from './app-context.ts';
import { tokenGuard } from './auth.ts';
import { formatValidationError, handleError, handleNotFound } from './errors.ts';
import { RankingsEvents } from './events.ts';
import { MarketCache } from './market-cache.ts';
import { registerEventClientsGauge, registerHttpMetrics } from './metrics.ts';
import { requestLogOptions } from './request-log.ts';
import { registerApiIndexRoute } from './routes/api-index.ts';
import { registerBacktestRoutes } from './routes/backtest.ts';
import { registerCoinRoutes } from './routes/coins.ts';
import { registerDecisionRoutes } from './routes/decision.ts';
import { registerEventRoutes } from './routes/events.ts';
import { registerHardwareRoutes } from './routes/hardware.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerMetricsRoutes } from './routes/metrics.ts';
import { registerPoolRoutes } from './routes/pools.ts';
import { registerProfileRoutes } from './routes/profiles.ts';
import { registerRankingRoutes } from './routes/ranking.ts';
import { registerReportRoutes } from './routes/reports.ts';

export interface BuildAppDeps {
  db: Db;
  /** A pino-compatible logger, or false for none (the default). */
  logger?: FastifyBaseLogger | false;
  /** Bearer token for writes (profiles, proxy reports); without one every write is refused (403). */
  apiToken?: string;
  now?: () => Date;
  /** Registry for /metrics; the caller owns it (and may add default or process metrics to it). */
  registry?: Registry;
  decisionDefaults?: Partial<DecisionDefaults>;
  health?: Partial<HealthOptions>;
  /** SSE heartbeat period; 15 s unless a test needs it shorter. */
  eventsHeartbeatMs?: number;
  /** How long market reads are served from memory when no NOTIFY arrives (writes by other instances). */
  marketCacheTtlMs?: number;
  /** Writes the built-in profiles on start (default true). */
  ensureBuiltIns?: boolean;
}

export const DEFAULT_DECISION: DecisionDefaults = { profile: 'max-usd-coin', hashrateHs: 1 };
export const DEFAULT_HEALTH: HealthOptions = { sourceMaxAgeS: 3600 };

async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Smart Mining API',
        version: '1',
        description:
          'Market data, profitability ranking and mining decisions. Errors: {error: {code, message}}.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}

function registerRoutes(app: FastifyInstance, ctx: AppContext, registry: Registry): void {
  registerCoinRoutes(app, ctx);
  registerPoolRoutes(app, ctx);
  registerHardwareRoutes(app, ctx);
  registerRankingRoutes(app, ctx);
  registerDecisionRoutes(app, ctx);
  registerBacktestRoutes(app, ctx);
  registerProfileRoutes(app, ctx);
  registerReportRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  registerHealthRoutes(app, ctx);
  registerMetricsRoutes(app, registry);
  registerApiIndexRoute(app);
}

export async function buildApp(deps: BuildAppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    schemaErrorFormatter: formatValidationError,
    ...requestLogOptions,
  }) as unknown as FastifyInstance;
  const registry = deps.registry ?? new Registry();
  const now = deps.now ?? (() => new Date());
  const market = new MarketCache(deps.db, { ttlMs: deps.marketCacheTtlMs ?? 10_000, now });
  // Each ingest's NOTIFY makes the next read load the new market.
  const events = new RankingsEvents(deps.db, {
    heartbeatMs: deps.eventsHeartbeatMs,
    log: app.log,
    onNotify: () => market.invalidate(),
  });
  const ctx: AppContext = {
    db: deps.db,
    now,
    requireToken: tokenGuard(deps.apiToken),
    events,
    market,
    decisionDefaults: { ...DEFAULT_DECISION, ...deps.decisionDefaults },
    health: { ...DEFAULT_HEALTH, ...deps.health },
  };
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  registerHttpMetrics(app, registry);
  const unregisterGauge = registerEventClientsGauge(registry, () => events.clientCount);
  await registerDocs(app);
  registerRoutes(app, ctx, registry);
  // Streams end before the server closes (else close waits on them); LISTEN stops after.
  app.addHook('preClose', async () => events.endClients());
  app.addHook('onClose', async () => {
    unregisterGauge();
    await events.stop();
  });
  if (deps.ensureBuiltIns !== false) await ensureBuiltInProfiles(deps.db, BUILT_IN_PROFILES);
  await events.start();
  return app;
}
