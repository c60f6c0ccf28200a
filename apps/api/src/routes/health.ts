// Route /health: database reachability, the event listener, the snapshot age and each source's freshness.
// 200 ok or degraded (decisions are answered, from the last snapshot while the database is away);
// 503 down only when no decision can be answered (no snapshot and no database).

import { type HealthJson, ROUTES } from '@smart-mining/api-contract';
import { listSourceRunSummaries, type SourceRunSummary } from '@smart-mining/db';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { ageS } from '../query-params.ts';
import { addRoute } from '../route-schema.ts';

function sourceHealth(run: SourceRunSummary, now: Date, maxAgeS: number) {
  const lastOkAgeS = run.lastOkAt ? ageS(run.lastOkAt, now) : null;
  return { ...run, lastOkAgeS, stale: lastOkAgeS === null || lastOkAgeS > maxAgeS };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

type Database = HealthJson['database'];

async function checkDatabase(ctx: AppContext): Promise<{ database: Database; runs: SourceRunSummary[] }> {
  const started = performance.now();
  try {
    const runs = await withTimeout(listSourceRunSummaries(ctx.db), ctx.health.timeoutMs);
    return { database: { reachable: true, latencyMs: performance.now() - started, error: null }, runs };
  } catch (error) {
    return { database: { reachable: false, latencyMs: null, error: (error as Error).message }, runs: [] };
  }
}

export function registerHealthRoutes(app: FastifyInstance, ctx: AppContext): void {
  addRoute(app, ROUTES.health, async (_request, reply) => {
    const now = ctx.now();
    const sourceMaxAgeS = ctx.health.sourceMaxAgeS;
    const { database, runs } = await checkDatabase(ctx);
    const sources = runs.map((run) => sourceHealth(run, now, sourceMaxAgeS));
    const market = ctx.market.status;
    const snapshot = market && { ...market, ageS: ageS(market.loadedAt, now) };
    const events = ctx.events.state;
    const fine = database.reachable && events.listening && !sources.some((s) => s.stale);
    const status = fine ? 'ok' : database.reachable || snapshot ? 'degraded' : 'down';
    reply.code(status === 'down' ? 503 : 200);
    return { status, at: now, database, events, snapshot: snapshot ?? null, sourceMaxAgeS, sources };
  });
}
