// Bearer tokens by scope: the admin token (SM_API_TOKEN) writes profiles; proxy tokens (table api_tokens)
// post reports. A valid token of the other scope is refused with 403, a missing or wrong one with 401.

import { createHash, timingSafeEqual } from 'node:crypto';
import { findActiveToken, type Queryable } from '@smart-mining/db';
import type { FastifyRequest } from 'fastify';
import { ApiError } from './errors.ts';

export type Guard = (request: FastifyRequest) => Promise<void>;

export interface Guards {
  admin: Guard;
  proxy: Guard;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The token of `Authorization: Bearer <token>`; 401 for anything else (a raw token included). */
function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  const match = header ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
  if (!match) throw new ApiError('SM_API_UNAUTHORIZED', 'headers/authorization must be "Bearer <token>"');
  return match[1]!;
}

const WRONG_TOKEN = 'headers/authorization has a wrong or revoked token';

export function createGuards(db: Queryable, adminToken: string | undefined): Guards {
  // Hashing first gives equal-length buffers, so timingSafeEqual leaks neither content nor length.
  const adminDigest = adminToken ? digest(adminToken) : undefined;
  const isAdmin = (token: string) => adminDigest !== undefined && timingSafeEqual(digest(token), adminDigest);
  return {
    admin: async (request) => {
      const token = bearerToken(request);
      if (isAdmin(token)) return;
      if (await findActiveToken(db, token)) {
        throw new ApiError(
          'SM_API_FORBIDDEN',
          'a proxy token may only post reports; profile writes need the admin token (SM_API_TOKEN)',
        );
      }
      if (!adminDigest) {
        throw new ApiError(
          'SM_API_WRITES_DISABLED',
          'profile writes are disabled: no SM_API_TOKEN is configured',
        );
      }
      throw new ApiError('SM_API_UNAUTHORIZED', WRONG_TOKEN);
    },
    proxy: async (request) => {
      const token = bearerToken(request);
      if ((await findActiveToken(db, token))?.scope === 'proxy') return;
      if (isAdmin(token)) {
        throw new ApiError(
          'SM_API_FORBIDDEN',
          'reports need a proxy token (smart-mining token create --name <proxy>), not the admin token',
        );
      }
      throw new ApiError('SM_API_UNAUTHORIZED', WRONG_TOKEN);
    },
  };
}
