// Opens a Db: PostgreSQL when a connection string is given, otherwise embedded PGlite (file or memory).

import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Db, Queryable } from './db.ts';
import { DbError } from './errors.ts';

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
  if (dataDir && !dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const lite = await PGlite.create(dataDir ?? 'memory://');
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
  const listeners = new Set<pg.Client>();
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
      // LISTEN needs a session of its own that is never returned to a pool.
      const client = new pg.Client({ connectionString });
      client.on('error', () => {});
      await client.connect();
      client.on('notification', (msg) => {
        if (msg.channel === channel) onPayload(msg.payload ?? '');
      });
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      listeners.add(client);
      return async () => {
        listeners.delete(client);
        await client.end().catch(() => {});
      };
    },
    notify: async (channel, payload) => {
      await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    close: async () => {
      await Promise.all([...listeners].map((c) => c.end().catch(() => {})));
      await pool.end();
    },
  };
}
