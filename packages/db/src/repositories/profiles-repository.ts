// Stores profiles (table profiles): definitions are jsonb, validated by the caller; every change bumps version.

import type { Queryable } from '../db.ts';

export interface ProfileRecord {
  name: string;
  /** The profile definition as stored; parse it before use. */
  definition: unknown;
  builtIn: boolean;
  /** 1 when created, +1 per change: the API's ETag. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const PROFILE_COLUMNS = `name, definition, built_in AS "builtIn", version, created_at AS "createdAt",
  updated_at AS "updatedAt"`;

export function listProfiles(db: Queryable): Promise<ProfileRecord[]> {
  return db.query<ProfileRecord>(`SELECT ${PROFILE_COLUMNS} FROM profiles ORDER BY built_in DESC, name`);
}

export async function getProfile(db: Queryable, name: string): Promise<ProfileRecord | undefined> {
  const rows = await db.query<ProfileRecord>(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE name = $1`, [
    name,
  ]);
  return rows[0];
}

/** The profile locked until the end of the caller's transaction (read-check-write without a race). */
export async function lockProfile(tx: Queryable, name: string): Promise<ProfileRecord | undefined> {
  const rows = await tx.query<ProfileRecord>(
    `SELECT ${PROFILE_COLUMNS} FROM profiles WHERE name = $1 FOR UPDATE`,
    [name],
  );
  return rows[0];
}

/** Inserts a user profile; undefined when the name is taken. */
export async function insertProfile(
  db: Queryable,
  profile: { name: string; definition: unknown },
  now: Date,
): Promise<ProfileRecord | undefined> {
  const rows = await db.query<ProfileRecord>(
    `INSERT INTO profiles (name, definition, built_in, version, created_at, updated_at)
     VALUES ($1, $2::jsonb, false, 1, $3, $3)
     ON CONFLICT (name) DO NOTHING
     RETURNING ${PROFILE_COLUMNS}`,
    [profile.name, JSON.stringify(profile.definition), now],
  );
  return rows[0];
}

/** Replaces a user profile's definition and bumps its version; undefined when it is missing or built in. */
export async function updateProfile(
  db: Queryable,
  name: string,
  definition: unknown,
  now: Date,
): Promise<ProfileRecord | undefined> {
  const rows = await db.query<ProfileRecord>(
    `UPDATE profiles SET definition = $2::jsonb, updated_at = $3, version = version + 1
     WHERE name = $1 AND NOT built_in
     RETURNING ${PROFILE_COLUMNS}`,
    [name, JSON.stringify(definition), now],
  );
  return rows[0];
}

/** Deletes a user profile; false when it is missing or built in. */
export async function deleteProfile(db: Queryable, name: string): Promise<boolean> {
  const rows = await db.query('DELETE FROM profiles WHERE name = $1 AND NOT built_in RETURNING name', [name]);
  return rows.length > 0;
}

/** Writes the built-in profiles, replacing older versions of them; safe on every start. */
export async function ensureBuiltInProfiles(
  db: Queryable,
  profiles: readonly { name: string; definition: unknown }[],
): Promise<void> {
  for (const profile of profiles) {
    await db.query(
      `INSERT INTO profiles (name, definition, built_in) VALUES ($1, $2::jsonb, true)
       ON CONFLICT (name) DO UPDATE SET definition = EXCLUDED.definition, built_in = true, updated_at = now(),
         version = profiles.version + 1
       WHERE profiles.definition IS DISTINCT FROM EXCLUDED.definition OR NOT profiles.built_in`,
      [profile.name, JSON.stringify(profile.definition)],
    );
  }
}
