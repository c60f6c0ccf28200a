// Records each source fetch: when, whether it worked, how many rows, the error and how long it took.

import type { Queryable } from '../db.ts';

export interface SourceRun {
  source: string;
  startedAt: Date;
  finishedAt: Date;
  ok: boolean;
  rows: number;
  error?: string;
  durationMs: number;
  /** The aggregator instance that wrote it (its lease holder name). */
  aggregator?: string;
}

export async function insertSourceRuns(q: Queryable, runs: readonly SourceRun[]): Promise<void> {
  if (runs.length === 0) return;
  await q.query(
    `INSERT INTO source_runs (source, started_at, finished_at, ok, rows, error, duration_ms, aggregator)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::bool[], $5::int[], $6::text[], $7::float8[],
       $8::text[])`,
    [
      runs.map((r) => r.source),
      runs.map((r) => r.startedAt),
      runs.map((r) => r.finishedAt),
      runs.map((r) => r.ok),
      runs.map((r) => r.rows),
      runs.map((r) => r.error ?? null),
      runs.map((r) => r.durationMs),
      runs.map((r) => r.aggregator ?? null),
    ],
  );
}
