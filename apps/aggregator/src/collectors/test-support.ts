// Shared by the collectors' client tests: a replay server per test, the source error check, the fault table.

import assert from 'node:assert/strict';
import { type Fault, type ReplayServer, startReplayServer } from '@smart-mining/testkit';
import { SourceError, type SourceErrorCode } from '../errors.ts';
import { HttpClient } from '../http-client.ts';

/** The replay server of the test running now: its answers come in process (no socket, no load-bound timeout). */
let current: ReplayServer | undefined;

/** Timeout of the clients in tests whose fault is a timeout: the wait is the test's own length. */
export const FAULT_TIMEOUT_MS = 300;

/**
 * An HttpClient with two attempts and no backoff, so tests stay bounded. Inside withReplayServer it asks that
 * server in process; its timeout is generous (a loaded machine can take a while), and tests that inject a
 * timeout pass FAULT_TIMEOUT_MS.
 */
export function testHttpClient(fetch?: typeof globalThis.fetch, timeoutMs = 5_000): HttpClient {
  const replay: typeof globalThis.fetch = (input, init) =>
    current ? current.fetch(input, init) : globalThis.fetch(input, init);
  return new HttpClient({ timeoutMs, attempts: 2, backoffBaseMs: 1, fetch: fetch ?? replay });
}

/** The client for one of TRANSPORT_FAULTS: short-fused when the fault is a timeout. */
export function faultHttpClient(fault: Fault): HttpClient {
  return testHttpClient(undefined, fault.kind === 'timeout' ? FAULT_TIMEOUT_MS : undefined);
}

/** Runs `run` against a fresh replay server on 127.0.0.1 and always closes it. */
export async function withReplayServer(run: (server: ReplayServer) => Promise<void>): Promise<void> {
  const server = await startReplayServer();
  current = server;
  try {
    await run(server);
  } finally {
    current = undefined;
    await server.close();
  }
}

/**
 * Asserts that `promise` rejects with a SourceError of `code` (and a message matching `message`, if given);
 * returns the error for further checks.
 */
export async function rejectsWithSourceError(
  promise: Promise<unknown>,
  code: SourceErrorCode,
  message?: RegExp,
): Promise<SourceError> {
  let caught: unknown;
  await assert.rejects(promise, (error: unknown) => {
    caught = error;
    assert.ok(error instanceof SourceError, `not a SourceError: ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
  return caught as SourceError;
}

/** Transport faults every collector must turn into these error codes (every attempt spoiled). */
export const TRANSPORT_FAULTS: readonly (readonly [Fault, SourceErrorCode])[] = [
  [{ kind: 'status', status: 500 }, 'SM_SOURCE_HTTP'],
  [{ kind: 'rate-limit', retryAfterS: 0 }, 'SM_SOURCE_RATE_LIMITED'],
  [{ kind: 'timeout' }, 'SM_SOURCE_TIMEOUT'],
  [{ kind: 'truncated' }, 'SM_SOURCE_INVALID'],
  [{ kind: 'garbage' }, 'SM_SOURCE_INVALID'],
];
