// The switch log (table switch_events): each switch a proxy reports, stored once; the decision log (view
// decisions) is the same rows seen per route.

import type { Queryable } from '../db.ts';

export interface SwitchInput {
  idempotencyKey: string;
  at: Date | string;
  account: string;
  route: string;
  profile: string;
  fromPoolKey: string | null;
  toPoolKey: string;
  reason: string;
  method: string;
  miners?: number | null;
  /** The decision's inputs (margin, threshold, dwell) as the proxy echoed them. */
  inputs: Record<string, unknown>;
}

export interface SwitchRow extends Omit<SwitchInput, 'at' | 'miners'> {
  id: number;
  at: Date;
  receivedAt: Date;
  proxy: string;
  miners: number | null;
}

/** A switch newly logged by `insertSwitches` (one sent again is not). */
export interface InsertedSwitch {
  id: number;
  account: string;
  route: string;
  toPoolKey: string;
  at: Date;
}

/**
 * Inserts a proxy's switches in one statement. A switch already stored — same (proxy, idempotencyKey), or
 * the same (proxy, account, route, toPoolKey, at) sent again or through another API instance — is skipped.
 */
export async function insertSwitches(
  db: Queryable,
  proxy: string,
  switches: readonly SwitchInput[],
  receivedAt: Date,
): Promise<{ stored: number; duplicates: number; inserted: InsertedSwitch[] }> {
  if (switches.length === 0) return { stored: 0, duplicates: 0, inserted: [] };
  const rows = switches.map((s) => ({
    idempotency_key: s.idempotencyKey,
    at: s.at,
    account: s.account,
    route: s.route,
    profile: s.profile,
    from_pool_key: s.fromPoolKey,
    to_pool_key: s.toPoolKey,
    reason: s.reason,
    method: s.method,
    miners: s.miners ?? null,
    inputs: s.inputs,
  }));
  const inserted = await db.query<InsertedSwitch>(
    `INSERT INTO switch_events (proxy, idempotency_key, at, account, route, profile, from_pool_key,
       to_pool_key, reason, method, miners, inputs, received_at)
     SELECT $1, x.idempotency_key, x.at, x.account, x.route, x.profile, x.from_pool_key, x.to_pool_key,
       x.reason, x.method, x.miners, x.inputs, $3
     FROM jsonb_to_recordset($2::jsonb) AS x(idempotency_key text, at timestamptz, account text, route text,
       profile text, from_pool_key text, to_pool_key text, reason text, method text, miners integer, inputs jsonb)
     ON CONFLICT DO NOTHING
     RETURNING id::float8 AS id, account, route, to_pool_key AS "toPoolKey", at`,
    [proxy, JSON.stringify(rows), receivedAt],
  );
  return { stored: inserted.length, duplicates: switches.length - inserted.length, inserted };
}

export interface SwitchFilter {
  proxy?: string;
  account?: string;
  route?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

export function listSwitches(db: Queryable, filter: SwitchFilter): Promise<SwitchRow[]> {
  return db.query<SwitchRow>(
    `SELECT id::float8 AS id, at, received_at AS "receivedAt", proxy, account, route, profile,
       from_pool_key AS "fromPoolKey", to_pool_key AS "toPoolKey", reason, method, miners, inputs,
       idempotency_key AS "idempotencyKey"
     FROM switch_events
     WHERE ($1::text IS NULL OR proxy = $1) AND ($2::text IS NULL OR account = $2)
       AND ($3::text IS NULL OR route = $3)
       AND ($4::timestamptz IS NULL OR at >= $4) AND ($5::timestamptz IS NULL OR at < $5)
     ORDER BY at DESC, id DESC LIMIT $6`,
    [
      filter.proxy ?? null,
      filter.account ?? null,
      filter.route ?? null,
      filter.from ?? null,
      filter.to ?? null,
      filter.limit,
    ],
  );
}

export interface DecisionLogRow {
  id: number;
  at: Date;
  profile: string;
  route: string;
  fromPoolKey: string | null;
  toPoolKey: string;
  reason: string;
  inputs: Record<string, unknown>;
}

export function listDecisions(
  db: Queryable,
  filter: { profile?: string; route?: string; from?: Date; to?: Date; limit: number },
): Promise<DecisionLogRow[]> {
  return db.query<DecisionLogRow>(
    `SELECT id::float8 AS id, at, profile, route, from_pool_key AS "fromPoolKey", to_pool_key AS "toPoolKey",
       reason, inputs
     FROM decisions
     WHERE ($1::text IS NULL OR profile = $1) AND ($2::text IS NULL OR route = $2)
       AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4)
     ORDER BY at DESC, id DESC LIMIT $5`,
    [filter.profile ?? null, filter.route ?? null, filter.from ?? null, filter.to ?? null, filter.limit],
  );
}
