// Cached source answers by request key (never holding an API key), and an in-memory implementation.

/**
 * Raw response bodies by request key (the URL without the API key). The composition root backs this with a database
 * table so the cache survives restarts; the collector defaults to the in-memory one.
 */
export interface ResponseCache {
  get(key: string): Promise<{ fetchedAt: Date; body: unknown } | undefined>;
  set(key: string, entry: { fetchedAt: Date; body: unknown }): Promise<void>;
}

export function createMemoryCache(): ResponseCache {
  const entries = new Map<string, { fetchedAt: Date; body: unknown }>();
  return {
    get: async (key) => entries.get(key),
    set: async (key, entry) => {
      entries.set(key, entry);
    },
  };
}
