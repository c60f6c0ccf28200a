// Results of V1 requests (the answers carry no method: the caller knows which request each answers).

import { StratumError } from '../errors.ts';
import { normalizeHex } from '../hex.ts';

function badResult(method: string, detail: string): never {
  throw new StratumError('SM_STRATUM_BAD_RESULT', `${method}: ${detail}`);
}

export interface SubscribeResult {
  /** `[method, subscription id]` pairs; the `mining.notify` id is the session id a miner resumes with. */
  subscriptions: [string, string][];
  extranonce1: string;
  extranonce2Size: number;
}

/**
 * `[subscriptions, extranonce1, extranonce2_size]`. Subscriptions may be a list of pairs or one flat pair
 * (both seen in the wild); extranonce2_size must be 1..100 (cpuminer refuses 0 and anything over 100).
 */
export function parseSubscribeResult(result: unknown): SubscribeResult {
  const m = 'mining.subscribe';
  if (!Array.isArray(result) || result.length < 3)
    badResult(m, 'result is not [subscriptions, extranonce1, size]');
  const [subs, e1, size] = result;
  let extranonce1: string;
  try {
    extranonce1 = normalizeHex(e1, 'extranonce1');
  } catch (e) {
    badResult(m, (e as Error).message);
  }
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > 100) {
    badResult(m, `extranonce2_size ${JSON.stringify(size)} is not an integer in 1..100`);
  }
  return { subscriptions: subscriptionPairs(subs), extranonce1, extranonce2Size: size };
}

function subscriptionPairs(value: unknown): [string, string][] {
  if (!Array.isArray(value)) return [];
  const isPair = (x: unknown): x is [string, string] =>
    Array.isArray(x) && typeof x[0] === 'string' && (typeof x[1] === 'string' || typeof x[1] === 'number');
  const pairs = isPair(value) ? [value] : value.filter(isPair);
  return pairs.map(([method, id]) => [method, String(id)]);
}

/** The session id to resume with: the `mining.notify` subscription id (cpuminer's rule). */
export function sessionIdOf(result: SubscribeResult): string | undefined {
  return result.subscriptions.find(([method]) => method === 'mining.notify')?.[1];
}

/** The subscribe result as sent: both subscriptions share the session id, as most pools do. */
export function subscribeResult(sessionId: string, extranonce1: string, extranonce2Size: number): unknown[] {
  return [
    [
      ['mining.set_difficulty', sessionId],
      ['mining.notify', sessionId],
    ],
    extranonce1,
    extranonce2Size,
  ];
}

/** authorize, submit and extranonce.subscribe answer `true`/`false`; anything but `true` is a refusal. */
export function isAccepted(result: unknown): boolean {
  return result === true;
}

/** client.get_version answers the miner's agent string. */
export function parseVersionResult(result: unknown): string {
  if (typeof result !== 'string') badResult('client.get_version', 'result is not a string');
  return result;
}
