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

async function openFreshPostgres(adminUrl: string): Promise<Db & { url: string }> {
  const name = `sm_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await createDb({ databaseUrl: url.toString(), maxConnections: 4 });
  await migrate(db);
  const close = db.close.bind(db);
  return {
    ...db,
    url: url.toString(),
    close: async () => {
      await close();
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}
