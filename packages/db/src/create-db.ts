// Opens a Db: PostgreSQL when a connection string is given, otherwise embedded PGlite (file or memory).

import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Db, Queryable } from './db.ts';
import { DbError } from './errors.ts';
import { lockDataDir } from './pglite-lock.ts';
import { compileWasmBaselineOnly, initializeDataDir, pgliteStartParams } from './pglite-setup.ts';
import { checkPostgresUrl, probeConnection } from './postgres-connect.ts';

export interface CreateDbOptions {
  /** `postgres://…` selects a real server. */
  databaseUrl?: string;
  /** PGlite data directory (locked to this process while open); omitted or `memory://`: in memory. */
  dataDir?: string;
  maxConnections?: number;
  /** A statement running longer is cancelled (server only; default 60 s; migrations lift it). */
  statementTimeoutMs?: number;
  /** Connecting longer fails the query instead of waiting (server only; default 5 s). */
  connectTimeoutMs?: number;
  /** Names this process's sessions in pg_stat_activity (server only), e.g. `smart-mining api`. */
  applicationName?: string;
}

export async function createDb(options: CreateDbOptions = {}): Promise<Db> {
  if (options.databaseUrl) return createPostgresDb(options.databaseUrl, options);
  return createPgliteDb(options.dataDir);
}

async function createPgliteDb(dataDir?: string): Promise<Db> {
  compileWasmBaselineOnly();
  const onDisk = dataDir !== undefined && !dataDir.startsWith('memory://');
  if (onDisk) mkdirSync(dataDir, { recursive: true });
  const lock = onDisk ? lockDataDir(dataDir) : undefined;
  let lite: PGlite;
  try {
    if (onDisk) await initializeDataDir(dataDir);
    lite = await PGlite.create(dataDir ?? 'memory://', { startParams: pgliteStartParams() });
  } catch (error) {
    lock?.release();
    throw error;
  }
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
    listen: async (channel, onPayload, onConnection) => {
      // In-process: the listener is connected for as long as the database is open.
      const unsubscribe = await lite.listen(channel, onPayload);
      onConnection?.(true);
      return unsubscribe;
    },
    notify: async (channel, payload) => {
      await lite.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    poolStats: () => ({ max: 1, total: 1, idle: 1, waiting: 0 }),
    close: async () => {
      try {
        await lite.close();
      } finally {
        lock?.release();
      }
    },
  };
}

async function createPostgresDb(connectionString: string, options: CreateDbOptions): Promise<Db> {
  await probeConnection(connectionString, checkPostgresUrl(connectionString));
  const max = options.maxConnections ?? 10;
  const pool = new pg.Pool({
    connectionString,
    max,
    // A database that is away must fail a query quickly (decisions then answer from the snapshot).
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    statement_timeout: options.statementTimeoutMs ?? 60_000,
    keepAlive: true,
    ...(options.applicationName ? { application_name: options.applicationName } : {}),
  });
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
    listen: async (channel, onPayload, onConnection) => {
      const session = new ListenSession(connectionString, channel, onPayload, onConnection);
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
    poolStats: () => ({ max, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: async () => {
      await Promise.all([...listeners].map((l) => l.close()));
      await pool.end();
    },
  };
}

const LISTEN_RETRY_FIRST_MS = 250;
/** Short: an API instance must hear events again within seconds of the database coming back. */
const LISTEN_RETRY_MAX_MS = 2000;

/**
 * One LISTEN session on a connection of its own (never a pooled one). When the server drops it, it reconnects
 * with backoff and listens again, so an API instance keeps announcing events after a database restart.
 */
class ListenSession {
  #client: pg.Client | undefined;
  #closed = false;
  #connected = false;
  #retryMs = LISTEN_RETRY_FIRST_MS;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    readonly connectionString: string,
    readonly channel: string,
    readonly onPayload: (payload: string) => void,
    readonly onConnection: (connected: boolean) => void = () => {},
  ) {}

  async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      keepAlive: true,
      connectionTimeoutMillis: 5000,
    });
    client.on('error', () => this.#reconnectSoon(client));
    client.on('end', () => this.#reconnectSoon(client));
    client.on('notification', (msg) => {
      if (msg.channel === this.channel) this.onPayload(msg.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(this.channel)}`);
    } catch (error) {
      client.end().catch(() => {});
      throw error;
    }
    this.#client = client;
    this.#retryMs = LISTEN_RETRY_FIRST_MS;
    this.#setConnected(true);
  }

  #setConnected(connected: boolean): void {
    if (this.#connected === connected || this.#closed) return;
    this.#connected = connected;
    this.onConnection(connected);
  }

  #reconnectSoon(failed: pg.Client): void {
    if (this.#closed || this.#timer || (this.#client && this.#client !== failed)) return;
    this.#client = undefined;
    this.#setConnected(false);
    failed.end().catch(() => {});
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#closed) return;
      this.connect().catch(() => {
        this.#retryMs = Math.min(this.#retryMs * 2, LISTEN_RETRY_MAX_MS);
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
