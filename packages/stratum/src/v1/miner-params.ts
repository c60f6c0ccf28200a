// Params of the V1 methods a miner sends (miner → proxy → pool), read and validated (stratum.md §2.1).

import {
  absent,
  badParams,
  paramList,
  readHex,
  readJobId,
  readOptionalString,
  readPositiveNumber,
  readString,
  readUint32Hex,
} from './param-readers.ts';

export interface SubscribeParams {
  userAgent: string | undefined;
  /** The previous session id, to resume (cpuminer sends the mining.notify subscription id). */
  sessionId: string | undefined;
}

/**
 * `[]`, `[agent]` or `[agent, session]`; extra entries are ignored. Both are informational, and pools subscribe a
 * miner whatever they hold, so subscribe never fails: a non-string entry (or params that are not a list) reads
 * as absent.
 */
export function parseSubscribeParams(params: unknown): SubscribeParams {
  const p = Array.isArray(params) ? params : [];
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return { userAgent: text(p[0]), sessionId: text(p[1]) };
}

export interface AuthorizeParams {
  username: string;
  /** Empty when not sent. */
  password: string;
}

export function parseAuthorizeParams(params: unknown): AuthorizeParams {
  const p = paramList('mining.authorize', params, 1);
  const username = readString('mining.authorize', p[0], 'username');
  if (username.length === 0) badParams('mining.authorize', 'username is empty');
  // A password typed as a number (`123` in a JSON config passed through) is that number's text.
  const password = typeof p[1] === 'number' ? String(p[1]) : p[1];
  return { username, password: readOptionalString('mining.authorize', password, 'password') ?? '' };
}

export interface SubmitParams {
  worker: string;
  jobId: string;
  /** Normalised hex; its length is checked against extranonce2_size by the session that knows it. */
  extranonce2: string;
  /** 8 hex, big-endian hex of the uint32. */
  ntime: string;
  /** 8 hex, big-endian hex of the uint32; sent with its leading zeros or without (NerdMiner). */
  nonce: string;
  /** BIP 310's 6th param, 8 hex; undefined for 5-param submits. */
  versionBits: string | undefined;
}

export function parseSubmitParams(params: unknown): SubmitParams {
  const m = 'mining.submit';
  const p = paramList(m, params, 5);
  return {
    worker: readWorker(p[0]),
    jobId: readJobId(m, p[1]),
    extranonce2: readHex(m, p[2], 'extranonce2'),
    ntime: readHex(m, p[3], 'ntime', 4),
    nonce: readUint32Hex(m, p[4], 'nonce'),
    versionBits: absent(p[5]) ? undefined : readHex(m, p[5], 'version_bits', 4),
  };
}

/**
 * The worker name only labels the share (the connection's login is what mines), so a share is never refused
 * for its type: a number reads as its text, null or anything else as empty.
 */
function readWorker(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

export interface SuggestDifficultyParams {
  /** Undefined when the value is unreadable: the method is a hint and never fails (stratum.md §2.1). */
  difficulty: number | undefined;
}

/** cpuminer-opt sends a string (`"%f"`), Bitaxe a number; both are read. */
export function parseSuggestDifficultyParams(params: unknown): SuggestDifficultyParams {
  const first = Array.isArray(params) ? params[0] : undefined;
  return { difficulty: readPositiveNumber(first) };
}

export interface SuggestTargetParams {
  /** The 256-bit target; undefined when unreadable (a hint: never fails). */
  target: bigint | undefined;
}

/** `["00000000ffff0000…"]`: up to 64 hex digits, read as a big-endian integer above 0. */
export function parseSuggestTargetParams(params: unknown): SuggestTargetParams {
  const first = Array.isArray(params) ? params[0] : undefined;
  if (typeof first !== 'string' || !/^(0x)?[0-9a-fA-F]{1,64}$/.test(first)) return { target: undefined };
  const target = BigInt(first.startsWith('0x') ? first : `0x${first}`);
  return { target: target > 0n ? target : undefined };
}

/** Methods whose params carry nothing the proxy uses (extranonce.subscribe, keepalived, get_version, ping). */
export function parseIgnoredParams(_params: unknown): Record<string, never> {
  return {};
}
