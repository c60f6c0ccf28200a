// Cached source responses, keyed by source and request (never by API key).

import type { Queryable } from '../db.ts';

export interface CachedResponse {
  fetchedAt: Date;
  body: unknown;
}

export async function getCachedResponse(q: Queryable, key: string): Promise<CachedResponse | undefined> {
  const rows = await q.query<{ fetched_at: Date; body: unknown }>(
    'SELECT fetched_at, body FROM source_cache WHERE key = $1',
    [key],
  );
  const row = rows[0];
  return row ? { fetchedAt: row.fetched_at, body: row.body } : undefined;
}

export async function putCachedResponse(q: Queryable, key: string, entry: CachedResponse): Promise<void> {
  await q.query(
    `INSERT INTO source_cache (key, fetched_at, body) VALUES ($1, $2, $3::jsonb)
     ON CONFLICT (key) DO UPDATE SET fetched_at = EXCLUDED.fetched_at, body = EXCLUDED.body`,
    [key, entry.fetchedAt, JSON.stringify(entry.body)],
  );
}
