// The event log behind /v1/events (table events): appended in the transaction of the change, announced by
// NOTIFY with the new id once that transaction commits, read back for replay and catch-up.

import type { Queryable } from '../db.ts';

/** PostgreSQL channel; the payload is the id of the new `events` row. */
export const EVENTS_CHANNEL = 'sm_events';

/** `rankings-changed`: the market or a profile; `miners-reported` and `switch`: what proxies report. */
export type EventType = 'rankings-changed' | 'miners-reported' | 'switch';

export interface StoredEvent {
  id: number;
  at: Date;
  type: EventType;
  payload: Record<string, unknown>;
}

/**
 * Appends an event and queues its NOTIFY in one statement. Call it inside the transaction of the change:
 * the row and the notification then exist only if the change commits.
 */
export async function appendEvent(
  tx: Queryable,
  type: EventType,
  payload: Record<string, unknown>,
  at: Date = new Date(),
): Promise<number> {
  const rows = await tx.query<{ id: number }>(
    `WITH e AS (INSERT INTO events (at, type, payload) VALUES ($1, $2, $3::jsonb) RETURNING id)
     SELECT id::float8 AS id, pg_notify($4, id::text) FROM e`,
    [at, type, JSON.stringify(payload), EVENTS_CHANNEL],
  );
  return rows[0]!.id;
}

const EVENT_COLUMNS = 'id::float8 AS id, at, type, payload';

/** Events after `afterId` (and any of `alsoIds`), oldest first, at most `limit`. */
export function readEventsAfter(
  db: Queryable,
  afterId: number,
  limit: number,
  alsoIds: readonly number[] = [],
): Promise<StoredEvent[]> {
  return db.query<StoredEvent>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE id > $1 OR id = ANY($2::bigint[]) ORDER BY id LIMIT $3`,
    [afterId, alsoIds, limit],
  );
}

/** The newest and the oldest id kept (null when the log is empty). */
export async function eventLogBounds(
  db: Queryable,
): Promise<{ newest: number | null; oldest: number | null }> {
  const [row] = await db.query<{ newest: number | null; oldest: number | null }>(
    'SELECT max(id)::float8 AS newest, min(id)::float8 AS oldest FROM events',
  );
  return row ?? { newest: null, oldest: null };
}

/** Deletes events older than `before`; returns how many. */
export async function pruneEvents(db: Queryable, before: Date): Promise<number> {
  const rows = await db.query('DELETE FROM events WHERE at < $1 RETURNING id', [before]);
  return rows.length;
}
