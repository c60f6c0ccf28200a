// Monthly partitions for the history tables, created ahead of the data that will land in them.

import type { Db, Queryable } from './db.ts';
import { withMigrationLock } from './migration-lock.ts';

const HISTORY_TABLES = ['coin_history', 'pool_history'] as const;

function monthStart(year: number, month: number): Date {
  return new Date(Date.UTC(year, month, 1));
}

/** Creates this month's and the next `monthsAhead` months' partitions if missing (under the schema lock). */
export async function ensureHistoryPartitions(db: Db, now: Date, monthsAhead = 2): Promise<void> {
  await db.transaction((tx) => withMigrationLock(tx, () => createHistoryPartitions(tx, now, monthsAhead)));
}

/** The same inside a transaction that already holds the schema lock (migrate). */
export async function createHistoryPartitions(q: Queryable, now: Date, monthsAhead = 2): Promise<void> {
  for (let i = 0; i <= monthsAhead; i++) {
    const from = monthStart(now.getUTCFullYear(), now.getUTCMonth() + i);
    const to = monthStart(from.getUTCFullYear(), from.getUTCMonth() + 1);
    const suffix = `y${from.getUTCFullYear()}m${String(from.getUTCMonth() + 1).padStart(2, '0')}`;
    for (const table of HISTORY_TABLES) {
      const exists = await q.query('SELECT 1 FROM pg_class WHERE relname = $1', [`${table}_${suffix}`]);
      if (exists.length > 0) continue;
      // Rows of that month already in the default partition would block the new one: leave them there.
      const stranded = await q.query(
        `SELECT 1 FROM ${table}_default WHERE time >= $1 AND time < $2 LIMIT 1`,
        [from, to],
      );
      if (stranded.length > 0) continue;
      await q.query(
        `CREATE TABLE ${table}_${suffix} PARTITION OF ${table}
         FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
      );
    }
  }
}
