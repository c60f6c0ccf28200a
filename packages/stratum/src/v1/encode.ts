// Builds every V1 line, both directions; each returns the JSON line with its `\n`, ready to write.

import { type RpcError, wireError } from '../errors.ts';
import { uint32ToHex } from '../hex.ts';
import { encodeError, encodeNotification, encodeRequest, encodeResult, type RpcId } from '../json-rpc.ts';
import { configureParams } from './configure.ts';
import type { AuthorizeParams, SubmitParams } from './miner-params.ts';
import type { NotifyParams } from './pool-params.ts';
import { subscribeResult } from './results.ts';

type Id = number | string;

// miner → pool requests

export function encodeSubscribe(id: Id, userAgent?: string, sessionId?: string): string {
  const params =
    userAgent === undefined ? [] : sessionId === undefined ? [userAgent] : [userAgent, sessionId];
  return encodeRequest(id, 'mining.subscribe', params);
}

export function encodeAuthorize(id: Id, p: AuthorizeParams): string {
  return encodeRequest(id, 'mining.authorize', [p.username, p.password]);
}

export function encodeConfigure(id: Id, request: Parameters<typeof configureParams>[0]): string {
  return encodeRequest(id, 'mining.configure', configureParams(request));
}

export function encodeExtranonceSubscribe(id: Id): string {
  return encodeRequest(id, 'mining.extranonce.subscribe', []);
}

/** cpuminer-opt sends the value as a string, Bitaxe as a number. */
export function encodeSuggestDifficulty(
  id: Id,
  difficulty: number,
  as: 'number' | 'string' = 'number',
): string {
  return encodeRequest(id, 'mining.suggest_difficulty', [
    as === 'string' ? difficulty.toFixed(6) : difficulty,
  ]);
}

export function encodeSubmit(
  id: Id,
  p: Omit<SubmitParams, 'versionBits'> & { versionBits?: string | undefined },
) {
  const params = [p.worker, p.jobId, p.extranonce2, p.ntime, p.nonce];
  if (p.versionBits !== undefined) params.push(p.versionBits);
  return encodeRequest(id, 'mining.submit', params);
}

// pool → miner pushes and requests

export function encodeNotify(p: NotifyParams): string {
  return encodeNotification('mining.notify', [
    p.jobId,
    p.prevhash,
    p.coinb1,
    p.coinb2,
    p.merkleBranch,
    p.version,
    p.nbits,
    p.ntime,
    p.cleanJobs,
  ]);
}

export function encodeSetDifficulty(difficulty: number): string {
  return encodeNotification('mining.set_difficulty', [difficulty]);
}

export function encodeSetExtranonce(extranonce1: string, extranonce2Size: number): string {
  return encodeNotification('mining.set_extranonce', [extranonce1, extranonce2Size]);
}

export function encodeSetVersionMask(mask: number): string {
  return encodeNotification('mining.set_version_mask', [uint32ToHex(mask)]);
}

/** Always host and port: pooler/cpuminer ignores a reconnect without both (stratum.md §2.1). */
export function encodeReconnect(host: string, port: number, waitS = 0): string {
  return encodeNotification('client.reconnect', [host, port, waitS]);
}

export function encodeShowMessage(text: string): string {
  return encodeNotification('client.show_message', [text]);
}

export function encodeGetVersion(id: Id): string {
  return encodeRequest(id, 'client.get_version', []);
}

export function encodePing(id: Id): string {
  return encodeRequest(id, 'mining.ping', []);
}

// answers

export function encodeSubscribeResult(
  id: RpcId,
  sessionId: string,
  extranonce1: string,
  size: number,
): string {
  return encodeResult(id, subscribeResult(sessionId, extranonce1, size));
}

/** authorize / submit / extranonce.subscribe / suggest_difficulty / keepalive / show_message: `true`. */
export function encodeAccepted(id: RpcId): string {
  return encodeResult(id, true);
}

/** A refusal with a catalogue error (e.g. a rejected share: `wireError('lowDifficulty')`). */
export function encodeRejected(id: RpcId, error: RpcError): string {
  return encodeError(id, error);
}

/** mining.extranonce.subscribe on a server without the extension: `false` + [20, "Not supported."]. */
export function encodeExtranonceNotSupported(id: RpcId): string {
  return encodeError(id, wireError('other', 'Not supported.'), false);
}

/** Unknown or misdirected methods: answered locally with 20, never forwarded (BIP 310, stratum.md §1). */
export function encodeUnknownMethod(id: RpcId, name: string): string {
  return encodeError(id, wireError('other', `Unknown method ${JSON.stringify(name.slice(0, 64))}`));
}

export function encodeConfigureResult(id: RpcId, result: Record<string, unknown>): string {
  return encodeResult(id, result);
}

/** The answer to mining.ping (cpuminer-opt's pong). */
export function encodePong(id: RpcId): string {
  return encodeResult(id, 'pong');
}

export function encodeVersionResult(id: RpcId, agent: string): string {
  return encodeResult(id, agent);
}
