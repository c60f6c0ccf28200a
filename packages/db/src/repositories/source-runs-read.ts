// Reads the health of each data source from its fetch runs (table source_runs).

import type { Queryable } from '../db.ts';

export interface SourceRunSummary {
  source: string;
  lastRunAt: Date;
  lastRunOk: boolean;
  lastError: string | null;
  /** Finish time of the last successful run; null when none succeeded. */
  lastOkAt: Date | null;
  lastOkRows: number | null;
}

export function listSourceRunSummaries(db: Queryable): Promise<SourceRunSummary[]> {
  return db.query<SourceRunSummary>(
    `SELECT l.source, l.started_at AS "lastRunAt", l.ok AS "lastRunOk", l.error AS "lastError",
       g.finished_at AS "lastOkAt", g.rows AS "lastOkRows"
     FROM (SELECT DISTINCT ON (source) source, started_at, ok, error
           FROM source_runs ORDER BY source, started_at DESC, id DESC) l
     LEFT JOIN (SELECT DISTINCT ON (source) source, finished_at, rows
                FROM source_runs WHERE ok ORDER BY source, finished_at DESC, id DESC) g
       ON g.source = l.source
     ORDER BY l.source`,
  );
}
