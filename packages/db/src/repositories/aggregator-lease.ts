// The aggregator lease: one row naming the instance allowed to ingest, until when, and its fencing epoch.
// Times come from the server's clock (clock_timestamp), so instances on hosts with skewed clocks agree.

import type { Queryable } from '../db.ts';
import { DbError } from '../errors.ts';

export interface LeaseState {
  holder: string | null;
  /** Grows by one at every change of holder: the fencing token. */
  epoch: number;
  expiresAt: Date;
  renewedAt: Date | null;
}

interface LeaseRow {
  holder: string | null;
  epoch: string | number;
  expires_at: Date;
  renewed_at: Date | null;
}

const toState = (r: LeaseRow): LeaseState => ({
  holder: r.holder,
  epoch: Number(r.epoch),
  expiresAt: r.expires_at,
  renewedAt: r.renewed_at,
});

const RETURNING = 'RETURNING holder, epoch, expires_at, renewed_at';

/** Takes the lease when it is free or expired (a new epoch); undefined when another instance holds it. */
export async function acquireLease(
  q: Queryable,
  holder: string,
  ttlS: number,
): Promise<LeaseState | undefined> {
  const rows = await q.query<LeaseRow>(
    `UPDATE aggregator_lease SET holder = $1, epoch = epoch + 1, acquired_at = clock_timestamp(),
       renewed_at = clock_timestamp(), expires_at = clock_timestamp() + make_interval(secs => $2)
     WHERE id = 1 AND (holder IS NULL OR expires_at <= clock_timestamp()) ${RETURNING}`,
    [holder, ttlS],
  );
  return rows[0] && toState(rows[0]);
}

/**
 * Extends the lease of `holder` at `epoch`; undefined when it was lost (taken over after it expired). A lease
 * that expired but was not taken is still renewed: nobody else ingested meanwhile.
 */
export async function renewLease(
  q: Queryable,
  holder: string,
  epoch: number,
  ttlS: number,
): Promise<LeaseState | undefined> {
  const rows = await q.query<LeaseRow>(
    `UPDATE aggregator_lease SET renewed_at = clock_timestamp(),
       expires_at = clock_timestamp() + make_interval(secs => $3)
     WHERE id = 1 AND holder = $1 AND epoch = $2 ${RETURNING}`,
    [holder, epoch, ttlS],
  );
  return rows[0] && toState(rows[0]);
}

/** Frees the lease at once (a stopping leader), so a standby takes over without waiting for it to expire. */
export async function releaseLease(q: Queryable, holder: string, epoch: number): Promise<boolean> {
  const rows = await q.query(
    `UPDATE aggregator_lease SET holder = NULL, expires_at = clock_timestamp()
     WHERE id = 1 AND holder = $1 AND epoch = $2 RETURNING 1`,
    [holder, epoch],
  );
  return rows.length > 0;
}

export async function readLease(q: Queryable): Promise<LeaseState> {
  const rows = await q.query<LeaseRow>(
    'SELECT holder, epoch, expires_at, renewed_at FROM aggregator_lease WHERE id = 1',
  );
  if (!rows[0])
    throw new DbError('SM_DB_LEASE_MISSING', 'the aggregator_lease row is missing: run migrations');
  return toState(rows[0]);
}

/** An ingest of a holder whose lease was lost or expired: its transaction is rolled back. */
export class LeaseLostError extends DbError {
  constructor(holder: string, epoch: number) {
    super(
      'SM_DB_LEASE_LOST',
      `aggregator ${holder} no longer holds the ingest lease (epoch ${epoch}): its write is rolled back`,
    );
    this.name = 'LeaseLostError';
  }
}

/**
 * The fencing check, run inside an ingest transaction just before it commits: the row lock it takes keeps any
 * other instance from taking the lease until this transaction ends, so a commit that passes it was the leader's.
 * Throws LeaseLostError (rolling the transaction back) when the lease moved on or expired.
 */
export async function assertLeaseHeld(tx: Queryable, holder: string, epoch: number): Promise<void> {
  const rows = await tx.query(
    `SELECT 1 FROM aggregator_lease
     WHERE id = 1 AND holder = $1 AND epoch = $2 AND expires_at > clock_timestamp() FOR NO KEY UPDATE`,
    [holder, epoch],
  );
  if (rows.length === 0) throw new LeaseLostError(holder, epoch);
}
