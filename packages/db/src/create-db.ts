// Opens a Db: PostgreSQL when a connection string is given, otherwise embedded PGlite (file or memory).

import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Db, Queryable } from './db.ts';
import { DbError } from './errors.ts';
import { compileWasmBaselineOnly, initializeDataDir, pgliteStartParams } from './pglite-setup.ts';

export interface CreateDbOptions {
  /** `postgres://…` selects a real server. */
  databaseUrl?: string;
  /** PGlite data directory; omitted or `memory://` keeps everything in memory. */
  dataDir?: string;
  maxConnections?: number;
}

export async function createDb(options: CreateDbOptions = {}): Promise<Db> {
  if (options.databaseUrl) return createPostgresDb(options.databaseUrl, options.maxConnections ?? 10);
  return createPgliteDb(options.dataDir);
}

async function createPgliteDb(dataDir?: string): Promise<Db> {
  compileWasmBaselineOnly();
  if (dataDir && !dataDir.startsWith('memory://')) {
    mkdirSync(dataDir, { recursive: true });
    await initializeDataDir(dataDir);
  }
  const lite = await PGlite.create(dataDir ?? 'memory://', { startParams: pgliteStartParams() });
  const run =
    (q: Pick<PGlite, 'query'>): Queryable['query'] =>
    async (sql, params) => {
      try {
        return (await q.query(sql, params as unknown[])).rows as never[];
      } catch (cause) {
        throw DbError.fromQuery(sql, cause);
      }
    };
  return {
    kind: 'pglite',
    query: run(lite),
    exec: async (sql) => {
      await lite.exec(sql);
    },
    transaction: (fn) => lite.transaction((tx) => fn({ query: run(tx) })),
    listen: async (channel, onPayload) => {
      const unsubscribe = await lite.listen(channel, onPayload);
      return unsubscribe;
    },
    notify: async (channel, payload) => {
      await lite.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    close: () => lite.close(),
  };
}

async function createPostgresDb(connectionString: string, max: number): Promise<Db> {
  const pool = new pg.Pool({ connectionString, max });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const run =
    (q: pg.Pool | pg.PoolClient): Queryable['query'] =>
    async (sql, params) => {
      try {
        return (await q.query(sql, params as unknown[])).rows;
      } catch (cause) {
        throw DbError.fromQuery(sql, cause);
      }
    };
  await run(pool)('SELECT 1');
  const listeners = new Set<ListenSession>();
  return {
    kind: 'postgres',
    query: run(pool),
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: run(client) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    listen: async (channel, onPayload) => {
      const session = new ListenSession(connectionString, channel, onPayload);
      await session.connect();
      listeners.add(session);
      return async () => {
        listeners.delete(session);
        await session.close();
      };
    },
    notify: async (channel, payload) => {
      await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    close: async () => {
      await Promise.all([...listeners].map((l) => l.close()));
      await pool.end();
    },
  };
}

/**
 * One LISTEN session on a connection of its own (never a pooled one). When the server drops it, it reconnects
 * with backoff and listens again, so an API instance keeps announcing events after a database restart.
 */
class ListenSession {
  #client: pg.Client | undefined;
  #closed = false;
  #retryMs = 500;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    readonly connectionString: string,
    readonly channel: string,
    readonly onPayload: (payload: string) => void,
  ) {}

  async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('error', () => this.#reconnectSoon(client));
    client.on('end', () => this.#reconnectSoon(client));
    client.on('notification', (msg) => {
      if (msg.channel === this.channel) this.onPayload(msg.payload ?? '');
    });
    await client.connect();
    await client.query(`LISTEN ${pg.escapeIdentifier(this.channel)}`);
    this.#client = client;
    this.#retryMs = 500;
  }

  #reconnectSoon(failed: pg.Client): void {
    if (this.#closed || this.#timer || (this.#client && this.#client !== failed)) return;
    this.#client = undefined;
    failed.end().catch(() => {});
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#closed) return;
      this.connect().catch(() => {
        this.#retryMs = Math.min(this.#retryMs * 2, 30_000);
        this.#reconnectSoon(failed);
      });
    }, this.#retryMs);
    this.#timer.unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#client?.end().catch(() => {});
  }
}
