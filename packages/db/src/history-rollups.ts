// Keeps the hourly and daily rollups of history complete up to the last closed bucket, incrementally: each run
// writes the buckets closed since the previous one (hourly from raw rows, daily from hourly rows) with upserts, so
// a repeated or concurrent run writes the same rows again.

import type { Db, Queryable } from './db.ts';
import {
  HISTORY_SERIES,
  type HistorySeries,
  ROLLUP_WIDTH_S,
  type RollupLevel,
  rollupName,
  rollupTable,
} from './history-series.ts';
import { ensureRollupPartitionsBetween } from './partitions.ts';

export interface RollupRun {
  rollup: string;
  /** Buckets written: [from, to). */
  from: Date;
  to: Date;
}

/** Buckets written per statement (and transaction): bounds the work of a long catch-up. */
const CHUNK_BUCKETS: Record<RollupLevel, number> = { hourly: 24, daily: 31 };

export function floorTo(at: Date, widthS: number): Date {
  const ms = widthS * 1000;
  return new Date(Math.floor(at.getTime() / ms) * ms);
}

/** Where each rollup is complete (every bucket before it written); absent before its first run. */
export async function readRollupCoverage(q: Queryable): Promise<Map<string, Date>> {
  const rows = await q.query<{ rollup: string; covered_to: Date }>(
    'SELECT rollup, covered_to FROM history_rollup_state',
  );
  return new Map(rows.map((r) => [r.rollup, r.covered_to]));
}

function upsertSql(series: HistorySeries, level: RollupLevel): string {
  const fromRaw = level === 'hourly';
  const source = fromRaw ? series.raw : rollupTable(series, 'hourly');
  const timeColumn = fromRaw ? 'time' : 'bucket';
  const columns: string[] = [series.key, 'bucket', 'samples'];
  const exprs: string[] = [
    series.key,
    `date_bin('${ROLLUP_WIDTH_S[level]} seconds', ${timeColumn}, timestamptz '1970-01-01 00:00:00+00')`,
    fromRaw ? 'count(*)::int' : 'sum(samples)::int',
  ];
  for (const v of series.values) {
    columns.push(`${v}_avg`, `${v}_min`, `${v}_max`, `${v}_n`);
    exprs.push(
      ...(fromRaw
        ? [`avg(${v})::float8`, `min(${v})::float8`, `max(${v})::float8`, `count(${v})::int`]
        : [
            `(sum(${v}_avg * ${v}_n) / nullif(sum(${v}_n), 0))::float8`,
            `min(${v}_min)`,
            `max(${v}_max)`,
            `sum(${v}_n)::int`,
          ]),
    );
  }
  for (const e of series.extras) {
    columns.push(e.column);
    exprs.push(fromRaw ? e.fromRaw : e.fromHourly);
  }
  const updates = columns.slice(2).map((c) => `${c} = EXCLUDED.${c}`);
  return `WITH written AS (
    INSERT INTO ${rollupTable(series, level)} (${columns.join(', ')})
    SELECT ${exprs.join(', ')} FROM ${source}
    WHERE ${timeColumn} >= $1 AND ${timeColumn} < $2
    GROUP BY 1, 2
    ON CONFLICT (${series.key}, bucket) DO UPDATE SET ${updates.join(', ')}
    RETURNING 1)
  SELECT count(*)::int AS n FROM written`;
}

/**
 * The first bucket of [from, to) that has source rows (from undefined: the oldest), so a catch-up after a long
 * pause skips the empty stretch; null when there are none.
 */
async function firstSourceBucket(
  q: Queryable,
  series: HistorySeries,
  level: RollupLevel,
  from: Date | undefined,
  to: Date,
): Promise<Date | null> {
  const [table, column] =
    level === 'hourly' ? [series.raw, 'time'] : [rollupTable(series, 'hourly'), 'bucket'];
  const params: unknown[] = [to];
  if (from) params.push(from);
  const [row] = await q.query<{ at: Date | null }>(
    `SELECT min(${column}) AS at FROM ${table} WHERE ${column} < $1${from ? ` AND ${column} >= $2` : ''}`,
    params,
  );
  return row?.at ? floorTo(row.at, ROLLUP_WIDTH_S[level]) : null;
}

/**
 * A transaction without the pool's statement timeout: the first catch-up over a large raw history (its oldest
 * row, a day of every series) may take longer than a request should, and would otherwise never get through.
 */
function unbounded<T>(db: Db, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query('SET LOCAL statement_timeout = 0');
    return fn(tx);
  });
}

async function advance(
  db: Db,
  series: HistorySeries,
  level: RollupLevel,
  until: Date,
  coverage: Map<string, Date>,
): Promise<RollupRun | undefined> {
  const name = rollupName(series, level);
  const widthS = ROLLUP_WIDTH_S[level];
  const end = floorTo(until, widthS);
  const covered = coverage.get(name);
  if (covered && covered.getTime() >= end.getTime()) return undefined;
  const first = await unbounded(db, (tx) => firstSourceBucket(tx, series, level, covered, end));
  const start = covered ?? first ?? end;
  // Empty buckets need no statement: coverage jumps to the next bucket with rows (or to the end).
  let from = first ?? end;
  // A first run over raw rows of past years needs those years' hourly partitions (else rows land in the default).
  if (level === 'hourly' && from < end) await ensureRollupPartitionsBetween(db, from, end);
  const sql = upsertSql(series, level);
  const chunkMs = CHUNK_BUCKETS[level] * widthS * 1000;
  do {
    const to = new Date(Math.min(from.getTime() + chunkMs, end.getTime()));
    const written = await unbounded(db, async (tx) => {
      const [row] = to > from ? await tx.query<{ n: number }>(sql, [from, to]) : [];
      await setCoverage(tx, name, to);
      return row?.n ?? 0;
    });
    coverage.set(name, to);
    from =
      written > 0 || to >= end
        ? to
        : ((await unbounded(db, (tx) => firstSourceBucket(tx, series, level, to, end))) ?? end);
  } while (from < end);
  if (coverage.get(name)! < end) {
    await setCoverage(db, name, end);
    coverage.set(name, end);
  }
  return { rollup: name, from: start, to: end };
}

function setCoverage(q: Queryable, rollup: string, to: Date): Promise<unknown> {
  return q.query(
    `INSERT INTO history_rollup_state (rollup, covered_to) VALUES ($1, $2)
     ON CONFLICT (rollup) DO UPDATE SET covered_to = GREATEST(history_rollup_state.covered_to, EXCLUDED.covered_to)`,
    [rollup, to],
  );
}

/**
 * Writes every hourly and daily bucket closed at `now` and not yet written. History rows are stamped with the
 * ingest's cycle time, so after the ingest of the cycle at `now` no row before `now` can still arrive.
 */
export async function rollUpHistory(db: Db, now: Date): Promise<RollupRun[]> {
  const coverage = await readRollupCoverage(db);
  const runs: RollupRun[] = [];
  for (const series of HISTORY_SERIES) {
    const hourly = await advance(db, series, 'hourly', now, coverage);
    if (hourly) runs.push(hourly);
    const hourlyTo = coverage.get(rollupName(series, 'hourly'));
    if (!hourlyTo) continue;
    const daily = await advance(db, series, 'daily', hourlyTo, coverage);
    if (daily) runs.push(daily);
  }
  return runs;
}
