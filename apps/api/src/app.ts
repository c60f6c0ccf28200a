// buildApp(deps): the HTTP API as a Fastify instance (no listen): contract schemas, OpenAPI at /docs, SSE,
// metrics, and the error shape for every refusal, Fastify's and Node's included.

import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Db } from '@smart-mining/db';
import { ensureBuiltInProfiles } from '@smart-mining/db';
import { BUILT_IN_PROFILES, DEFAULT_STALENESS_LIMITS, type StalenessLimits } from '@smart-mining/domain';
import { createApiMetrics } from '@smart-mining/platform';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import type { AppContext, DecisionDefaults, HealthOptions } from './app-context.ts';
import { createGuards } from './auth.ts';
import { answerClientError } from './client-errors.ts';
import { registerDashboard } from './dashboard.ts';
import { ApiError, formatValidationError, handleError, handleNotFound } from './errors.ts';
import { EventHub } from './event-hub.ts';
import { DEFAULT_HEAVY_READS, type HeavyReadLimits, HeavyReads } from './heavy-reads.ts';
import { MarketCache } from './market-cache.ts';
import { registerApiMetrics } from './metrics.ts';
import { checkFiniteQuery, checkQueryEncoding } from './query-params.ts';
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
import { registerSourceRoutes, type SourceSkip } from './routes/sources.ts';
import { createValidatorCompiler } from './validation-options.ts';

export interface BuildAppDeps {
  db: Db;
  /** A pino-compatible logger, or false for none (the default). */
  logger?: FastifyBaseLogger | false;
  /** The admin token (SM_API_TOKEN): profile writes. Without one, profile writes are refused (403). */
  apiToken?: string;
  now?: () => Date;
  /** Registry for /metrics; the caller owns it (and may add default or process metrics to it). */
  registry?: Registry;
  decisionDefaults?: Partial<DecisionDefaults>;
  health?: Partial<HealthOptions>;
  /** SSE heartbeat period; 15 s unless a test needs it shorter. */
  eventsHeartbeatMs?: number;
  /** How long market reads are served from memory when no event arrives. */
  marketCacheTtlMs?: number;
  /** The aggregator's staleness limits (config `aggregator.staleness`): older coins and pools read stale. */
  staleness?: Partial<StalenessLimits>;
  heavyReads?: Partial<HeavyReadLimits>;
  /** Writes the built-in profiles on start (default true). */
  ensureBuiltIns?: boolean;
  /** The built dashboard (apps/dashboard/dist), served at /; none when absent. */
  dashboardDir?: string;
  /** Sources the aggregator of this process skips (a key not set), shown by /v1/sources. */
  sourceSkips?: readonly SourceSkip[];
}

export const DEFAULT_DECISION: DecisionDefaults = { profile: 'max-usd-coin', hashrateHs: 1 };
export const DEFAULT_HEALTH: HealthOptions = { sourceMaxAgeS: 3600, timeoutMs: 2000 };

async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Smart Mining API',
        version: '1',
        description:
          'Market data, profitability ranking and mining decisions. Errors: {error: {code, message}}. ' +
          'Unknown query parameters and body fields are refused (400 naming them).',
      },
      components: {
        securitySchemes: {
          adminToken: { type: 'http', scheme: 'bearer', description: 'SM_API_TOKEN: profile writes' },
          proxyToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'A proxy token (smart-mining token create): reports only',
          },
        },
      },
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

/** Runs a check in a callback hook: its ApiError goes to the error handler. */
function guard(done: (error?: Error) => void, check: () => void): void {
  try {
    check();
  } catch (error) {
    done(error as Error);
    return;
  }
  done();
}

/**
 * A route that takes no body (DELETE of a profile) answers a request that says `application/json` but
 * carries nothing, as clients that set the header on every call send; routes with a body still refuse it.
 */
function acceptEmptyJsonWithoutBody(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body.length === 0 && !request.routeOptions.schema?.body) {
      done(null, undefined);
      return;
    }
    parseJson(request, body.toString(), done);
  });
}

function createFastify(deps: BuildAppDeps): FastifyInstance {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    schemaErrorFormatter: formatValidationError,
    clientErrorHandler: answerClientError,
    frameworkErrors: (error, request, reply) => handleError(error, request, reply),
    routerOptions: { maxParamLength: 200 },
    // A request without Host reaches us (and is refused in our shape) instead of Node's bare 400.
    http: { requireHostHeader: false },
    ...requestLogOptions,
  }) as unknown as FastifyInstance;
  // JSON only: a text/plain body is refused with 415 instead of reaching validation as a string.
  app.removeContentTypeParser('text/plain');
  acceptEmptyJsonWithoutBody(app);
  app.setValidatorCompiler(createValidatorCompiler());
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  // Callback hooks, not async ones: they run on every request, the decision hot path included.
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.raw.httpVersion === '1.1' && !request.headers.host) {
      done(new ApiError('SM_API_BAD_REQUEST', 'headers/host is required in HTTP/1.1'));
      return;
    }
    guard(done, () => checkQueryEncoding(request.url));
  });
  app.addHook('preHandler', (request, _reply, done) => guard(done, () => checkFiniteQuery(request.query)));
  return app;
}

export async function buildApp(deps: BuildAppDeps): Promise<FastifyInstance> {
  const app = createFastify(deps);
  const registry = deps.registry ?? new Registry();
  const now = deps.now ?? (() => new Date());
  const market = new MarketCache(deps.db, {
    ttlMs: deps.marketCacheTtlMs ?? 10_000,
    now,
    staleness: { ...DEFAULT_STALENESS_LIMITS, ...deps.staleness },
  });
  // Every event (an ingest, a profile written here or on another instance) makes the next read reload.
  const events = new EventHub(deps.db, {
    heartbeatMs: deps.eventsHeartbeatMs,
    log: app.log,
    onChange: () => market.invalidate(),
    now,
  });
  const ctx: AppContext = {
    db: deps.db,
    now,
    guards: createGuards(deps.db, deps.apiToken),
    events,
    market,
    heavyReads: new HeavyReads(deps.db, { ...DEFAULT_HEAVY_READS, ...deps.heavyReads }),
    metrics: createApiMetrics(registry),
    decisionDefaults: { ...DEFAULT_DECISION, ...deps.decisionDefaults },
    health: { ...DEFAULT_HEALTH, ...deps.health },
  };
  const unregisterMetrics = registerApiMetrics(app, registry, ctx);
  await registerDocs(app);
  registerRoutes(app, ctx, registry);
  registerSourceRoutes(app, ctx, deps.sourceSkips ?? []);
  await registerDashboard(app, deps.dashboardDir);
  // Streams end before the server closes (else close waits on them); LISTEN stops after.
  app.addHook('preClose', async () => events.endClients());
  app.addHook('onClose', async () => {
    unregisterMetrics();
    await events.stop();
  });
  if (deps.ensureBuiltIns !== false) await ensureBuiltInProfiles(deps.db, BUILT_IN_PROFILES);
  await events.start();
  // The first snapshot is read before the first request (decisions then never wait on the database).
  await market.get();
  return app;
}
