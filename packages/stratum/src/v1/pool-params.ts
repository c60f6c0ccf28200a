// Params of the V1 methods a pool sends (pool → proxy → miner), read and validated (stratum.md §2.1).

import {
  absent,
  badParams,
  paramList,
  readExtranonce2Size,
  readHex,
  readJobId,
  readOptionalString,
  readPositiveNumber,
  readString,
} from './param-readers.ts';

export interface NotifyParams {
  jobId: string;
  /** 64 hex, stratum form (internal bytes, each 4-byte word swapped). */
  prevhash: string;
  coinb1: string;
  coinb2: string;
  /** 64 hex each, internal byte order. */
  merkleBranch: string[];
  /** 8 hex each, big-endian hex of the uint32. */
  version: string;
  nbits: string;
  ntime: string;
  /** Only a JSON `true` cleans (cpuminer: `json_is_true`). */
  cleanJobs: boolean;
}

/** 9 params, checked as cpuminer does: prevhash 64 hex, version/nbits/ntime 8 hex each. */
export function parseNotifyParams(params: unknown): NotifyParams {
  const m = 'mining.notify';
  const p = paramList(m, params, 9);
  if (!Array.isArray(p[4])) badParams(m, 'merkle_branch is not an array');
  return {
    jobId: readJobId(m, p[0]),
    prevhash: readHex(m, p[1], 'prevhash', 32),
    coinb1: readHex(m, p[2], 'coinb1'),
    coinb2: readHex(m, p[3], 'coinb2'),
    merkleBranch: p[4].map((b, i) => readHex(m, b, `merkle_branch[${i}]`, 32)),
    version: readHex(m, p[5], 'version', 4),
    nbits: readHex(m, p[6], 'nbits', 4),
    ntime: readHex(m, p[7], 'ntime', 4),
    cleanJobs: p[8] === true,
  };
}

export interface SetDifficultyParams {
  difficulty: number;
}

/** `[difficulty]`, a number possibly fractional; applies to the next notify (stratum.md §2.1). */
export function parseSetDifficultyParams(params: unknown): SetDifficultyParams {
  const p = paramList('mining.set_difficulty', params, 1);
  const difficulty = readPositiveNumber(p[0]);
  if (difficulty === undefined) badParams('mining.set_difficulty', `difficulty ${JSON.stringify(p[0])}`);
  return { difficulty };
}

export interface SetExtranonceParams {
  extranonce1: string;
  /** Undefined when the pool sends only extranonce1 (size unchanged). */
  extranonce2Size: number | undefined;
}

export function parseSetExtranonceParams(params: unknown): SetExtranonceParams {
  const m = 'mining.set_extranonce';
  const p = paramList(m, params, 1);
  return {
    extranonce1: readHex(m, p[0], 'extranonce1'),
    extranonce2Size: absent(p[1]) ? undefined : readExtranonce2Size(m, p[1]),
  };
}

export interface SetVersionMaskParams {
  mask: number;
}

export function parseSetVersionMaskParams(params: unknown): SetVersionMaskParams {
  const p = paramList('mining.set_version_mask', params, 1);
  return { mask: Number.parseInt(readHex('mining.set_version_mask', p[0], 'mask', 4), 16) >>> 0 };
}

export interface ReconnectParams {
  /** Null/absent means "unchanged" in the slush spec; the proxy always sends both. */
  host: string | undefined;
  port: number | undefined;
  waitS: number;
}

export function parseReconnectParams(params: unknown): ReconnectParams {
  const m = 'client.reconnect';
  const p = paramList(m, params);
  const rawPort = typeof p[1] === 'string' && p[1] !== '' ? Number(p[1]) : p[1];
  if (!absent(rawPort)) {
    if (typeof rawPort !== 'number' || !Number.isInteger(rawPort) || rawPort < 1 || rawPort > 65535) {
      badParams(m, `port ${JSON.stringify(p[1])}`);
    }
  }
  const waitS = typeof p[2] === 'number' && p[2] >= 0 ? p[2] : 0;
  return {
    host: readOptionalString(m, p[0], 'host'),
    port: (rawPort ?? undefined) as number | undefined,
    waitS,
  };
}

export interface ShowMessageParams {
  text: string;
}

export function parseShowMessageParams(params: unknown): ShowMessageParams {
  const p = paramList('client.show_message', params, 1);
  return { text: readString('client.show_message', p[0], 'message') };
}
