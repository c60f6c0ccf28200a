// Migrations under the schema lock: several sessions migrating one fresh PostgreSQL at once all succeed, the
// schema is built once; on PGlite a second migrate is a no-op.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDb } from './create-db.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { createEmptyPostgres, testDatabases } from './testing.ts';

const adminUrl = process.env.DATABASE_URL;

describe('migrate', () => {
  it('applies every migration once; a second run applies nothing', async () => {
    const db = await testDatabases({})[0]!.open();
    try {
      assert.deepEqual(await migrate(db), []);
      const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      assert.equal(row!.n, (await loadMigrations()).length);
    } finally {
      await db.close();
    }
  });

  it('four sessions migrating a fresh PostgreSQL at once all succeed', {
    skip: !adminUrl && 'no DATABASE_URL',
  }, async () => {
    const empty = await createEmptyPostgres(adminUrl!);
    try {
      const names = (await loadMigrations()).map((m) => m.name);
      const results = await Promise.all(
        [1, 2, 3, 4].map(async () => {
          const db = await createDb({ databaseUrl: empty.url, maxConnections: 1 });
          try {
            return await migrate(db);
          } finally {
            await db.close();
          }
        }),
      );
      // One session built the schema; the others waited for the lock and found nothing to do.
      assert.deepEqual(
        results.filter((r) => r.length > 0),
        [names],
      );
      const db = await createDb({ databaseUrl: empty.url });
      const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      await db.close();
      assert.equal(row!.n, names.length);
    } finally {
      await empty.drop();
    }
  });
});
