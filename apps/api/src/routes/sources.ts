// Route /v1/sources: each data source's last run, last good run (with its rows), and whether it is skipped.

import { ROUTES } from '@smart-mining/api-contract';
import { listSourceRunSummaries } from '@smart-mining/db';
import { SOURCES } from '@smart-mining/domain';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { ageS } from '../query-params.ts';
import { addRoute } from '../route-schema.ts';

/** A source the aggregator of this process does not run, and why (e.g. its API key is not set). */
export interface SourceSkip {
  source: string;
  reason: string;
}

export function registerSourceRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  skips: readonly SourceSkip[],
): void {
  addRoute(app, ROUTES.sources, async () => {
    const now = ctx.now();
    const maxAgeS = ctx.health.sourceMaxAgeS;
    const runs = new Map((await listSourceRunSummaries(ctx.db)).map((r) => [r.source, r]));
    const names = [...new Set<string>([...SOURCES, ...runs.keys()])].sort();
    const sources = names.map((source) => {
      const run = runs.get(source);
      const lastOkAgeS = run?.lastOkAt ? ageS(run.lastOkAt, now) : null;
      return {
        source,
        skipReason: skips.find((s) => s.source === source)?.reason ?? null,
        lastRunAt: run?.lastRunAt ?? null,
        lastRunOk: run?.lastRunOk ?? null,
        lastError: run?.lastError ?? null,
        lastOkAt: run?.lastOkAt ?? null,
        lastOkRows: run?.lastOkRows ?? null,
        lastOkAgeS,
        stale: lastOkAgeS === null || lastOkAgeS > maxAgeS,
      };
    });
    return { at: now, sourceMaxAgeS: maxAgeS, sources };
  });
}
