// The "rankings changed" notification: the aggregator sends it after each ingest, every API instance listens.

import type { Db } from './db.ts';

/** PostgreSQL channel; payload `{"ingestedAt": ISO string}`. */
export const RANKINGS_CHANNEL = 'sm_rankings_changed';

export interface RankingsChanged {
  ingestedAt: string;
}

export function notifyRankingsChanged(db: Pick<Db, 'notify'>, ingestedAt: Date): Promise<void> {
  return db.notify(RANKINGS_CHANNEL, JSON.stringify({ ingestedAt: ingestedAt.toISOString() }));
}

/** The payload if it is `{"ingestedAt": <date>}`, else undefined. */
export function parseRankingsChanged(payload: string): RankingsChanged | undefined {
  try {
    const value = JSON.parse(payload) as { ingestedAt?: unknown };
    if (typeof value.ingestedAt !== 'string' || Number.isNaN(Date.parse(value.ingestedAt))) return undefined;
    return { ingestedAt: new Date(value.ingestedAt).toISOString() };
  } catch {
    return undefined;
  }
}
