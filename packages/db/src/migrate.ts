// Applies the versioned SQL migrations in migrations/NNNN_name.sql, each once, in order, one process at a time.

import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Db, Queryable } from './db.ts';
import { DbError } from './errors.ts';
import { withMigrationLock } from './migration-lock.ts';
import { createHistoryPartitions } from './partitions.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: Number(file.slice(0, 4)),
      name: file.replace(/\.sql$/, ''),
      sql: await readFile(`${dir}${file}`, 'utf8'),
    })),
  );
}

/**
 * Applies pending migrations in one transaction under the schema lock; returns the names applied. Safe to
 * call on every start, from several processes at once.
 */
export async function migrate(
  db: Db,
  options: { migrations?: Migration[]; now?: Date } = {},
): Promise<string[]> {
  const migrations = options.migrations ?? (await loadMigrations());
  return db.transaction((tx) =>
    withMigrationLock(tx, async () => {
      // A migration over a large table may run long: the pool's statement timeout does not apply here.
      await tx.query('SET LOCAL statement_timeout = 0');
      await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const applied = new Set(
        (await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version),
      );
      const done: string[] = [];
      for (const m of migrations) {
        if (applied.has(m.version)) continue;
        await applyMigration(tx, m);
        done.push(m.name);
      }
      await createHistoryPartitions(tx, options.now ?? new Date());
      return done;
    }),
  );
}

async function applyMigration(tx: Queryable, m: Migration): Promise<void> {
  try {
    for (const statement of splitStatements(m.sql)) await tx.query(statement);
    await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
  } catch (cause) {
    throw new DbError('SM_DB_MIGRATION', `migration ${m.name} failed: ${(cause as Error).message}`, {
      cause,
    });
  }
}

/** Splits a migration script on statement-ending semicolons (our migrations hold no procedural bodies). */
function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter(Boolean);
}
