// After each ingest: the hourly and daily rollups catch up to the cycle, then raw months past the retention that
// the rollups cover are dropped, and on PGlite the space of rewritten rows is freed. Once per hour of cycle time,
// since only a closed hour brings new work.

import { type Db, dropExpiredHistory, floorTo, rollUpHistory } from '@smart-mining/db';
import type { Logger } from 'pino';

export const DEFAULT_HISTORY_RETENTION_S = 30 * 86_400;

/** Returns the step to run after each ingest with its cycle time; it logs its own failures and never throws. */
export function historyMaintenance(db: Db, retentionS: number, log: Logger): (at: Date) => Promise<void> {
  let doneHour = -Infinity;
  return async (at) => {
    const hour = floorTo(at, 3600).getTime();
    if (hour <= doneHour) return;
    try {
      const runs = await rollUpHistory(db, at);
      for (const r of runs) log.debug({ rollup: r.rollup, from: r.from, to: r.to }, 'history rolled up');
      const dropped = await dropExpiredHistory(db, at, retentionS);
      for (const d of dropped)
        log.info({ partition: d.partition, from: d.from, to: d.to }, 'expired raw history dropped');
      // PGlite runs no autovacuum: without this, every row an ingest rewrites (and its out-of-line `sources`)
      // would stay on disk for as long as the process runs.
      if (db.kind === 'pglite') await db.exec('VACUUM');
      doneHour = hour;
    } catch (error) {
      // The next cycle tries again: rollups resume where they stopped, and a drop is all or nothing.
      log.error({ err: error }, 'history rollup or retention failed');
    }
  };
}
