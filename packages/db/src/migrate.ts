// Applies the versioned SQL migrations in migrations/NNNN_name.sql, each once, in order.

import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';
import { DbError } from './errors.ts';
import { ensureHistoryPartitions } from './partitions.ts';

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

/** Applies pending migrations; returns the names applied. Safe to call on every start. */
export async function migrate(
  db: Db,
  options: { migrations?: Migration[]; now?: Date } = {},
): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const migrations = options.migrations ?? (await loadMigrations());
  const applied = new Set(
    (await db.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version),
  );
  const done: string[] = [];
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    try {
      await db.transaction(async (tx) => {
        for (const statement of splitStatements(m.sql)) await tx.query(statement);
        await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      });
    } catch (cause) {
      throw new DbError('SM_DB_MIGRATION', `migration ${m.name} failed: ${(cause as Error).message}`, {
        cause,
      });
    }
    done.push(m.name);
  }
  await ensureHistoryPartitions(db, options.now ?? new Date());
  return done;
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
