// Shared by the collectors' client tests: a replay server per test, the source error check, the fault table.

import assert from 'node:assert/strict';
import { type Fault, type ReplayServer, startReplayServer } from '@smart-mining/testkit';
import { SourceError, type SourceErrorCode } from '../errors.ts';

/** Runs `run` against a fresh replay server on 127.0.0.1 and always closes it. */
export async function withReplayServer(run: (server: ReplayServer) => Promise<void>): Promise<void> {
  const server = await startReplayServer();
  try {
    await run(server);
  } finally {
    await server.close();
  }
}

/** Asserts that `promise` rejects with a SourceError of `code` (and a message matching `message`, if given). */
export async function rejectsWithSourceError(
  promise: Promise<unknown>,
  code: SourceErrorCode,
  message?: RegExp,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof SourceError, `not a SourceError: ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
}

/** Transport faults every collector must turn into these error codes (every attempt spoiled). */
export const TRANSPORT_FAULTS: readonly (readonly [Fault, SourceErrorCode])[] = [
  [{ kind: 'status', status: 500 }, 'SM_SOURCE_HTTP'],
  [{ kind: 'rate-limit', retryAfterS: 0 }, 'SM_SOURCE_RATE_LIMITED'],
  [{ kind: 'timeout' }, 'SM_SOURCE_TIMEOUT'],
  [{ kind: 'truncated' }, 'SM_SOURCE_INVALID'],
  [{ kind: 'garbage' }, 'SM_SOURCE_INVALID'],
];
