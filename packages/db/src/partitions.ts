// Partitions of the history tables, created ahead of the data that will land in them: raw history by month,
// hourly rollups by year.

import type { Db, Queryable } from './db.ts';
import { withMigrationLock } from './migration-lock.ts';

type Period = 'month' | 'year';

interface PartitionedTable {
  table: string;
  column: string;
  period: Period;
}

const PARTITIONED: readonly PartitionedTable[] = [
  { table: 'coin_history', column: 'time', period: 'month' },
  { table: 'pool_history', column: 'time', period: 'month' },
  { table: 'coin_history_hourly', column: 'bucket', period: 'year' },
  { table: 'pool_history_hourly', column: 'bucket', period: 'year' },
];

/** The raw history partition of a month: `coin_history_y2026m11`. */
export const MONTHLY_PARTITION = /^(coin_history|pool_history)_y(\d{4})m(\d{2})$/;

function periodStart(at: Date, period: Period): Date {
  return period === 'month'
    ? new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1))
    : new Date(Date.UTC(at.getUTCFullYear(), 0, 1));
}

function nextPeriod(start: Date, period: Period): Date {
  return period === 'month'
    ? new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1))
    : new Date(Date.UTC(start.getUTCFullYear() + 1, 0, 1));
}

function suffix(start: Date, period: Period): string {
  const year = `y${start.getUTCFullYear()}`;
  return period === 'month' ? `${year}m${String(start.getUTCMonth() + 1).padStart(2, '0')}` : year;
}

/** Creates this month's and the next `monthsAhead` months' partitions if missing (under the schema lock). */
export async function ensureHistoryPartitions(db: Db, now: Date, monthsAhead = 2): Promise<void> {
  await db.transaction((tx) => withMigrationLock(tx, () => createHistoryPartitions(tx, now, monthsAhead)));
}

/**
 * The same inside a transaction that already holds the schema lock (migrate): raw history for this month and
 * `monthsAhead` more, hourly rollups for this year and the next.
 */
export async function createHistoryPartitions(q: Queryable, now: Date, monthsAhead = 2): Promise<void> {
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + monthsAhead, 1));
  const nextYear = new Date(Date.UTC(now.getUTCFullYear() + 1, 0, 1));
  for (const t of PARTITIONED) await createPartitions(q, t, now, t.period === 'month' ? lastMonth : nextYear);
}

/** Partitions covering [from, to] for every history table (loading past history, tests), under the schema lock. */
export async function ensureHistoryPartitionsBetween(db: Db, from: Date, to: Date): Promise<void> {
  await ensurePartitions(db, PARTITIONED, from, to);
}

/** Yearly partitions of the hourly rollups covering [from, to] (a catch-up over past years), under the schema lock. */
export async function ensureRollupPartitionsBetween(db: Db, from: Date, to: Date): Promise<void> {
  await ensurePartitions(
    db,
    PARTITIONED.filter((t) => t.period === 'year'),
    from,
    to,
  );
}

async function ensurePartitions(
  db: Db,
  tables: readonly PartitionedTable[],
  from: Date,
  to: Date,
): Promise<void> {
  await db.transaction((tx) =>
    withMigrationLock(tx, async () => {
      for (const t of tables) await createPartitions(tx, t, from, to);
    }),
  );
}

async function createPartitions(q: Queryable, t: PartitionedTable, from: Date, to: Date): Promise<void> {
  // A database migrated only part of the way (tests of migrate) may not have the rollup tables yet.
  const [parent] = await q.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [
    t.table,
  ]);
  if (!parent?.exists) return;
  for (let start = periodStart(from, t.period); start <= to; start = nextPeriod(start, t.period)) {
    const end = nextPeriod(start, t.period);
    const name = `${t.table}_${suffix(start, t.period)}`;
    const exists = await q.query('SELECT 1 FROM pg_class WHERE relname = $1', [name]);
    if (exists.length > 0) continue;
    // Rows of that period already in the default partition would block the new one: leave them there.
    const stranded = await q.query(
      `SELECT 1 FROM ${t.table}_default WHERE ${t.column} >= $1 AND ${t.column} < $2 LIMIT 1`,
      [start, end],
    );
    if (stranded.length > 0) continue;
    await q.query(
      `CREATE TABLE ${name} PARTITION OF ${t.table}
       FOR VALUES FROM ('${start.toISOString()}') TO ('${end.toISOString()}')`,
    );
  }
}
