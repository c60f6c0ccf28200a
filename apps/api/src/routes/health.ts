// Route /health: database reachability and the age of each source's last good run (503 when the db is down).

import { listSourceRunSummaries, type SourceRunSummary } from '@smart-mining/db';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { dateTime, nullableDateTime, nullableNumber, nullableString, objectOf } from '../json-schemas.ts';
import { ageS } from '../query-params.ts';

const sourceSchema = objectOf({
  source: { type: 'string' },
  lastRunAt: dateTime,
  lastRunOk: { type: 'boolean' },
  lastError: nullableString,
  lastOkAt: nullableDateTime,
  lastOkAgeS: { ...nullableNumber, description: 'Seconds since the last good run finished; null if none' },
  stale: { type: 'boolean', description: 'No good run within the allowed age' },
});

const healthSchema = objectOf({
  status: { type: 'string', enum: ['ok', 'degraded', 'down'] },
  at: dateTime,
  database: objectOf({
    reachable: { type: 'boolean' },
    latencyMs: nullableNumber,
    error: nullableString,
  }),
  sourceMaxAgeS: { type: 'number' },
  sources: { type: 'array', items: sourceSchema },
});

function sourceHealth(run: SourceRunSummary, now: Date, maxAgeS: number) {
  const lastOkAgeS = run.lastOkAt ? ageS(run.lastOkAt, now) : null;
  return { ...run, lastOkAgeS, stale: lastOkAgeS === null || lastOkAgeS > maxAgeS };
}

export function registerHealthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/health',
    {
      schema: {
        tags: ['operations'],
        summary: 'Database reachability and the freshness of each data source',
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (request, reply) => {
      const now = ctx.now();
      const sourceMaxAgeS = ctx.health.sourceMaxAgeS;
      const started = performance.now();
      let runs: SourceRunSummary[];
      try {
        runs = await listSourceRunSummaries(ctx.db);
      } catch (error) {
        request.log.warn({ err: error }, 'health: database unreachable');
        const database = { reachable: false, latencyMs: null, error: (error as Error).message };
        return reply.code(503).send({ status: 'down', at: now, database, sourceMaxAgeS, sources: [] });
      }
      const latencyMs = performance.now() - started;
      const sources = runs.map((run) => sourceHealth(run, now, sourceMaxAgeS));
      const status = sources.some((s) => s.stale) ? 'degraded' : 'ok';
      return {
        status,
        at: now,
        database: { reachable: true, latencyMs, error: null },
        sourceMaxAgeS,
        sources,
      };
    },
  );
}
