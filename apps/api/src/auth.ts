// Bearer-token guard for writes (profiles, proxy reports): constant-time comparison of SHA-256 digests.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ApiError } from './errors.ts';

export type TokenGuard = (request: FastifyRequest) => Promise<void>;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** A preHandler that lets a request through only with `Authorization: Bearer <apiToken>`. */
export function tokenGuard(apiToken: string | undefined): TokenGuard {
  // Hashing first gives equal-length buffers, so timingSafeEqual leaks neither content nor length.
  const expected = apiToken ? digest(apiToken) : undefined;
  return async (request) => {
    if (!expected)
      throw new ApiError('SM_API_WRITES_DISABLED', 'writes are disabled: no API token is configured');
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw new ApiError('SM_API_UNAUTHORIZED', 'headers/authorization must be "Bearer <token>"');
    if (!timingSafeEqual(digest(match[1]!), expected)) {
      throw new ApiError('SM_API_UNAUTHORIZED', 'headers/authorization has a wrong token');
    }
  };
}
