// Handshake methods a miner sends before and around authorize: subscribe (with resume), configure (BIP 310),
// extranonce.subscribe, suggest_difficulty, keepalive and ping, and the answer to everything unknown.

import {
  answerConfigure,
  difficultyFromTarget,
  encodeAccepted,
  encodeConfigureResult,
  encodePong,
  encodeSubscribeResult,
  encodeUnknownMethod,
  type V1Call,
} from '@smart-mining/stratum';
import { MIN_MINER_EXTRANONCE2_SIZE, parseSessionId, sessionIdFor } from '../../extranonce.ts';
import type { MinerSession } from '../miner-session.ts';
import { joinRoute } from './authorize.ts';

type Call<M extends V1Call['method']> = Extract<V1Call, { method: M }>;

/** User agents repeat across thousands of miners: one string each, not one per connection. */
const agents = new Map<string, string>();
function internAgent(agent: string | undefined): string | null {
  if (agent === undefined) return null;
  const short = agent.slice(0, 64);
  const known = agents.get(short);
  if (known !== undefined) return known;
  if (agents.size < 1000) agents.set(short, short);
  return short;
}

/**
 * Gives the miner its lane and slot X (its extranonce1 for the whole connection) and extranonce2_size n2'.
 * A resumed session id asks for the same X; a reconnect hint (left when the miner was sent client.reconnect
 * because its n2' did not fit the new pool) gives the smaller n2' that fits.
 */
export function subscribe(s: MinerSession, call: Call<'mining.subscribe'>): void {
  if (s.lane < 0) {
    const config = s.listener.config;
    const resumed = parseSessionId(call.params.sessionId);
    const at = s.listener.lanes.allocate(resumed);
    s.lane = at.lane;
    s.slot = at.slot;
    s.extranonce1 = s.listener.lanes.slotHex(at.slot);
    const hint = s.ctx.hints.take(call.params.sessionId, s.remoteAddress, s.ctx.nowS);
    const wanted = hint?.extranonce2Size ?? resumed?.extranonce2Size;
    if (hint !== undefined) s.vardiffDifficulty = hint.difficulty;
    s.extranonce2Size =
      wanted !== undefined && wanted >= MIN_MINER_EXTRANONCE2_SIZE && wanted <= config.extranonce2Size
        ? wanted
        : config.extranonce2Size;
    s.agent = internAgent(call.params.userAgent);
    if (s.state === 'connected') s.state = 'subscribed';
  }
  const sessionId = sessionIdFor(s.lane, s.slot, s.extranonce2Size);
  s.send(encodeSubscribeResult(call.id, sessionId, s.extranonce1, s.extranonce2Size));
  // Authorized before it subscribed: its jobs follow the subscribe answer.
  joinRoute(s);
}

/**
 * BIP 310: the granted mask is the miner's ∩ the pool's. Before the miner has a pool, the listener's mask (what
 * the proxy asks pools for) stands in; mining.set_version_mask narrows it when the pool grants less.
 */
export function configure(s: MinerSession, call: Call<'mining.configure'>): void {
  const request = call.params;
  const serverMask = s.upstream ? s.upstream.versionMask : s.listener.config.versionMask;
  const result = answerConfigure(request, {
    versionMask: serverMask === 0 ? undefined : serverMask,
    subscribeExtranonce: true,
  });
  if (request.versionRolling !== undefined) {
    const granted = result['version-rolling'] === true;
    s.requestedMask = granted ? request.versionRolling.mask : 0;
    s.versionMask = granted ? Number.parseInt(result['version-rolling.mask'] as string, 16) >>> 0 : 0;
  }
  if (result['subscribe-extranonce'] === true) s.extranonceSubscribed = true;
  s.send(encodeConfigureResult(call.id, result));
}

/** NiceHash extension: the proxy supports set_extranonce, so a miner that asks gets it when sizes change. */
export function extranonceSubscribe(s: MinerSession, call: Call<'mining.extranonce.subscribe'>): void {
  s.extranonceSubscribed = true;
  if (call.id !== null) s.send(encodeAccepted(call.id));
}

/**
 * A hint (stratum.md §2.1), as a difficulty or as a target: accepted, never fails. Without `d=` it becomes the
 * miner's own difficulty, as pools take it: a small miner (NerdMiner, a Bitaxe) on a pool connection shared by
 * hundreds would otherwise wait hours between shares at the connection's difficulty, showing no hashrate. Only
 * shares that meet the pool's target go upstream, and it never exceeds the pool's (ownDifficulty). Sent with the
 * next job.
 */
export function suggestDifficulty(
  s: MinerSession,
  call: Call<'mining.suggest_difficulty'> | Call<'mining.suggest_target'>,
): void {
  if (call.id !== null) s.send(encodeAccepted(call.id));
  const suggested =
    call.method === 'mining.suggest_difficulty'
      ? call.params.difficulty
      : call.params.target === undefined
        ? undefined
        : difficultyFromTarget(s.listener.config.algorithm, call.params.target);
  if (suggested !== undefined && Number.isFinite(suggested) && suggested > 0)
    s.suggestedDifficulty = suggested;
}

/** xmrig's `keepalived`: answered locally, never forwarded. */
export function keepalive(s: MinerSession, call: Call<'keepalived'>): void {
  if (call.id !== null) s.send(encodeAccepted(call.id));
}

/**
 * Anything else is answered here and never forwarded (BIP 310: some pools close on an unknown method).
 * A miner's own mining.ping gets a pong; notifications without an id need no answer.
 */
export function unknownMethod(s: MinerSession, call: Call<'unknown'>): void {
  if (call.id === null) return;
  if (call.name.toLowerCase() === 'mining.ping') s.send(encodePong(call.id));
  else s.send(encodeUnknownMethod(call.id, call.name));
}
