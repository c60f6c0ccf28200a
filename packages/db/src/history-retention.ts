// Raw history older than the retention goes a whole monthly partition at a time (never row by row), and only
// once the hourly and daily rollups of that series cover the whole month.

import type { Db } from './db.ts';
import { readRollupCoverage } from './history-rollups.ts';
import { HISTORY_SERIES, rollupName } from './history-series.ts';
import { withMigrationLock } from './migration-lock.ts';
import { MONTHLY_PARTITION } from './partitions.ts';

export interface DroppedPartition {
  table: string;
  partition: string;
  /** The month it held: [from, to). */
  from: Date;
  to: Date;
}

/**
 * Drops each monthly partition of coin_history and pool_history whose month ended more than `retentionS` before
 * `now` and lies wholly below the coverage of both rollups of its series. Rows in a default partition stay.
 */
export async function dropExpiredHistory(db: Db, now: Date, retentionS: number): Promise<DroppedPartition[]> {
  if (!(retentionS > 0)) throw new RangeError(`history retention must be above 0 s, not ${retentionS}`);
  const expiredBefore = now.getTime() - retentionS * 1000;
  // Under the schema lock: partitions are not created or dropped meanwhile, and the coverage read here is the
  // coverage the drop relies on (rollups only ever move it forward).
  return db.transaction((tx) =>
    withMigrationLock(tx, async () => {
      const coverage = await readRollupCoverage(tx);
      const children = await tx.query<{ parent: string; child: string }>(
        `SELECT p.relname AS parent, c.relname AS child
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
         WHERE p.relname = ANY($1::text[]) ORDER BY c.relname`,
        [HISTORY_SERIES.map((s) => s.raw)],
      );
      const dropped: DroppedPartition[] = [];
      for (const { parent, child } of children) {
        const match = MONTHLY_PARTITION.exec(child);
        const series = HISTORY_SERIES.find((s) => s.raw === parent);
        if (!match || !series) continue;
        const from = new Date(Date.UTC(Number(match[2]), Number(match[3]) - 1, 1));
        const to = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));
        const covered = (['hourly', 'daily'] as const).every(
          (level) => (coverage.get(rollupName(series, level))?.getTime() ?? -Infinity) >= to.getTime(),
        );
        if (to.getTime() > expiredBefore || !covered) continue;
        await tx.query(`DROP TABLE ${child}`);
        dropped.push({ table: parent, partition: child, from, to });
      }
      return dropped;
    }),
  );
}
