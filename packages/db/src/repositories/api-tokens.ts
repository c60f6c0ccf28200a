// Proxy tokens (table api_tokens): created with a random secret shown once, stored as a SHA-256 digest,
// looked up by digest, revoked by name.

import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db.ts';
import { DbError } from '../errors.ts';

export type TokenScope = 'proxy';

export interface TokenInfo {
  name: string;
  scope: TokenScope;
  createdAt: Date;
  revokedAt: Date | null;
}

/** Hex SHA-256: a stolen table does not reveal the tokens; 256 random bits need no slow hash. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const TOKEN_PREFIX = 'smp_';

/**
 * Creates a token named `name` (active names are unique) and returns its secret, which is stored nowhere.
 * With `replace`, an active token of that name is revoked first (the in-process proxy gets a fresh one on
 * every start).
 */
export async function createToken(
  db: Queryable,
  options: { name: string; scope?: TokenScope; replace?: boolean; now?: Date },
): Promise<{ token: string; info: TokenInfo }> {
  const now = options.now ?? new Date();
  if (options.replace) await revokeToken(db, options.name, now);
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const rows = await db.query<TokenInfo>(
    `INSERT INTO api_tokens (name, scope, token_sha256, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (name) WHERE revoked_at IS NULL DO NOTHING
     RETURNING name, scope, created_at AS "createdAt", revoked_at AS "revokedAt"`,
    [options.name, options.scope ?? 'proxy', tokenDigest(token), now],
  );
  const info = rows[0];
  if (!info) {
    throw new DbError(
      'SM_DB_TOKEN_NAME_TAKEN',
      `an active token is already named ${options.name}; revoke it first or choose another name`,
    );
  }
  return { token, info };
}

/** Revokes the active token of that name; false when there is none. */
export async function revokeToken(db: Queryable, name: string, now: Date = new Date()): Promise<boolean> {
  const rows = await db.query(
    'UPDATE api_tokens SET revoked_at = $2 WHERE name = $1 AND revoked_at IS NULL RETURNING id',
    [name, now],
  );
  return rows.length > 0;
}

export function listTokens(db: Queryable): Promise<TokenInfo[]> {
  return db.query<TokenInfo>(
    `SELECT name, scope, created_at AS "createdAt", revoked_at AS "revokedAt" FROM api_tokens
     ORDER BY revoked_at IS NOT NULL, name, created_at`,
  );
}

/** The active token with this secret, or undefined. */
export async function findActiveToken(
  db: Queryable,
  token: string,
): Promise<{ name: string; scope: TokenScope } | undefined> {
  const rows = await db.query<{ name: string; scope: TokenScope }>(
    'SELECT name, scope FROM api_tokens WHERE token_sha256 = $1 AND revoked_at IS NULL',
    [tokenDigest(token)],
  );
  return rows[0];
}
