// The schema lock: migrations and partition creation run one process at a time (a transaction advisory lock).

import type { Queryable } from './db.ts';

/** Any constant shared by every process of this schema ("SMMG"). */
const SCHEMA_LOCK_KEY = 0x534d4d47;

/**
 * Runs `fn` after taking the lock for the rest of the caller's transaction. Two processes starting on a
 * fresh server both succeed: the second waits, then finds the work done (no `pg_type` duplicate-key race).
 */
export async function withMigrationLock<T>(tx: Queryable, fn: () => Promise<T>): Promise<T> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
  return fn();
}
