// Route /v1/sources: each data source's last run, last good run (with its rows), and whether it is skipped.

import { listSourceRunSummaries } from '@smart-mining/db';
import { SOURCES } from '@smart-mining/domain';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import {
  dateTime,
  nullableDateTime,
  nullableNumber,
  nullableString,
  objectOf,
  responses,
} from '../json-schemas.ts';
import { ageS } from '../query-params.ts';

/** A source the aggregator of this process does not run, and why (e.g. its API key is not set). */
export interface SourceSkip {
  source: string;
  reason: string;
}

const sourceSchema = objectOf({
  source: { type: 'string' },
  skipReason: { ...nullableString, description: "Why this process's aggregator skips the source" },
  lastRunAt: { ...nullableDateTime, description: 'Start of the last run; null when it never ran' },
  lastRunOk: { type: ['boolean', 'null'] },
  lastError: { ...nullableString, description: 'Error, or warnings, of the last run' },
  lastOkAt: { ...nullableDateTime, description: 'End of the last good run' },
  lastOkRows: { ...nullableNumber, description: 'Rows the last good run produced' },
  lastOkAgeS: nullableNumber,
  stale: { type: 'boolean', description: 'No good run within /health’s allowed age' },
});

const schema = {
  tags: ['operations'],
  summary: 'Every data source: last run, last good run and its rows, and why it is skipped if it is',
  response: responses({
    200: objectOf({
      at: dateTime,
      sourceMaxAgeS: { type: 'number' },
      sources: { type: 'array', items: sourceSchema },
    }),
  }),
};

export function registerSourceRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  skips: readonly SourceSkip[],
): void {
  app.get('/v1/sources', { schema }, async () => {
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
