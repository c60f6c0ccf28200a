// Test databases: PGlite always, plus a fresh database on the real server when DATABASE_URL is set.

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb } from './create-db.ts';
import type { Db } from './db.ts';
import { migrate } from './migrate.ts';

export interface TestDatabase {
  name: 'pglite' | 'postgres';
  /** A new, migrated, empty database; `close()` drops it. `url` is set on a real server. */
  open(): Promise<Db & { url?: string }>;
}

export function testDatabases(env: NodeJS.ProcessEnv = process.env): TestDatabase[] {
  const list: TestDatabase[] = [
    {
      name: 'pglite',
      open: async () => {
        const db = await createDb();
        await migrate(db);
        return db;
      },
    },
  ];
  const url = env.DATABASE_URL;
  if (url) list.push({ name: 'postgres', open: () => openFreshPostgres(url) });
  return list;
}

/** A new, empty (not migrated) database on the server of `adminUrl`; `drop()` removes it. */
export async function createEmptyPostgres(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sm_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

async function openFreshPostgres(adminUrl: string): Promise<Db & { url: string }> {
  const empty = await createEmptyPostgres(adminUrl);
  const db = await createDb({ databaseUrl: empty.url, maxConnections: 4 });
  await migrate(db);
  const close = db.close.bind(db);
  return {
    ...db,
    url: empty.url,
    close: async () => {
      await close();
      await empty.drop();
    },
  };
}

export * from './history-fixture.ts';
