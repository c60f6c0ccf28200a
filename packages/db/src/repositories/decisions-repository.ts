// Logs decisions that change a target (table decisions) and reads them back, newest first.

import type { Queryable } from '../db.ts';

export interface DecisionLogInput {
  at: Date;
  profile: string;
  /** Identifies who asked: profile and miner capability, e.g. `max-usd-coin|algorithms=etchash`. */
  route: string;
  previousTarget: string | null;
  target: string | null;
  expectedUsdPerDay: number | null;
  reason: string;
  /** What the decision was computed from (query, capability, candidates). */
  inputs: unknown;
}

export interface DecisionLogRow extends DecisionLogInput {
  id: number;
}

export async function insertDecision(db: Queryable, entry: DecisionLogInput): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO decisions (at, profile, route, previous_target, target, expected_usd_per_day, reason, inputs)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) RETURNING id::int AS id`,
    [
      entry.at,
      entry.profile,
      entry.route,
      entry.previousTarget,
      entry.target,
      entry.expectedUsdPerDay,
      entry.reason,
      JSON.stringify(entry.inputs),
    ],
  );
  return rows[0]!.id;
}

export interface DecisionLogFilter {
  profile?: string;
  route?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

export function listDecisions(db: Queryable, filter: DecisionLogFilter): Promise<DecisionLogRow[]> {
  return db.query<DecisionLogRow>(
    `SELECT id::int AS id, at, profile, route, previous_target AS "previousTarget", target,
       expected_usd_per_day AS "expectedUsdPerDay", reason, inputs
     FROM decisions
     WHERE ($1::text IS NULL OR profile = $1) AND ($2::text IS NULL OR route = $2)
       AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4)
     ORDER BY at DESC, id DESC LIMIT $5`,
    [filter.profile ?? null, filter.route ?? null, filter.from ?? null, filter.to ?? null, filter.limit],
  );
}
