// BIP 310 mining.configure: the request's extensions, the server's answer (mask = server ∩ miner), the result.

import { StratumError } from '../errors.ts';
import { uint32ToHex } from '../hex.ts';
import { badParams, paramList, readHex, readPositiveNumber } from './param-readers.ts';

const M = 'mining.configure';

export interface ConfigureRequest {
  /** Every extension code the miner listed, as sent. */
  extensions: string[];
  /** Present when "version-rolling" was listed; the mask defaults to ffffffff (BIP 310). */
  versionRolling: { mask: number; minBitCount: number } | undefined;
  /** Present when "minimum-difficulty" was listed with a readable value (0 disables the feature). */
  minimumDifficulty: number | undefined;
  /** The miner can handle mining.set_extranonce ("subscribe-extranonce"). */
  subscribeExtranonce: boolean;
  /** "info.*" strings (connection-url, hw-version, sw-version, hw-id) without the prefix. */
  info: Record<string, string>;
}

/** `[[extension codes], {extension parameters}]`; a missing parameter map reads as empty. */
export function parseConfigureParams(params: unknown): ConfigureRequest {
  const p = paramList(M, params, 1);
  const codes = p[0];
  if (!Array.isArray(codes) || !codes.every((c) => typeof c === 'string' && c.length > 0)) {
    badParams(M, 'extensions is not a list of extension codes');
  }
  const raw = p[1] ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) badParams(M, 'extension-parameters is not an object');
  const values = raw as Record<string, unknown>;
  const has = (code: string) => codes.includes(code);
  const info: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) {
    if (k.startsWith('info.') && typeof v === 'string') info[k.slice(5)] = v;
  }
  return {
    extensions: codes,
    versionRolling: has('version-rolling') ? versionRollingRequest(values) : undefined,
    minimumDifficulty: has('minimum-difficulty')
      ? minimumDifficulty(values['minimum-difficulty.value'])
      : undefined,
    subscribeExtranonce: has('subscribe-extranonce'),
    info,
  };
}

function versionRollingRequest(values: Record<string, unknown>): { mask: number; minBitCount: number } {
  const rawMask = values['version-rolling.mask'];
  const mask =
    rawMask === undefined ? 0xffffffff : Number.parseInt(readHex(M, rawMask, 'version-rolling.mask', 4), 16);
  // min-bit-count: BIP 310 types it as TMask in one place; miners send a number. Both are read.
  const rawBits = values['version-rolling.min-bit-count'];
  const minBitCount =
    typeof rawBits === 'number' ? rawBits : typeof rawBits === 'string' ? Number.parseInt(rawBits, 16) : 0;
  return { mask: mask >>> 0, minBitCount: Number.isFinite(minBitCount) ? minBitCount : 0 };
}

function minimumDifficulty(value: unknown): number | undefined {
  return value === 0 ? 0 : readPositiveNumber(value);
}

/** What a server supports; undefined `versionMask` means no version rolling. */
export interface ConfigureCapabilities {
  versionMask?: number | undefined;
  minimumDifficulty?: boolean | undefined;
  subscribeExtranonce?: boolean | undefined;
}

/** The result of a configure, typed; `raw` keeps the map for extensions this package does not know. */
export interface ConfigureResult {
  /** The mask granted (server ∩ miner), or undefined when version rolling is off or was not asked. */
  versionMask: number | undefined;
  minimumDifficulty: boolean;
  subscribeExtranonce: boolean;
  raw: Record<string, unknown>;
}

/**
 * The server's answer (BIP 310): every listed extension gets a value; version-rolling returns
 * `server_mask & miner_mask` (false when that is empty); min-bit-count never refuses (BIP 310: the pool
 * SHOULD NOT terminate on a mismatch, the miner runs degraded); unknown codes get false.
 */
export function answerConfigure(
  request: ConfigureRequest,
  server: ConfigureCapabilities,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const code of request.extensions) result[code] = false;
  if (request.versionRolling && server.versionMask !== undefined) {
    const mask = (request.versionRolling.mask & server.versionMask) >>> 0;
    if (mask !== 0) {
      result['version-rolling'] = true;
      result['version-rolling.mask'] = uint32ToHex(mask);
    }
  }
  if (request.minimumDifficulty !== undefined && server.minimumDifficulty)
    result['minimum-difficulty'] = true;
  if (request.subscribeExtranonce && server.subscribeExtranonce) result['subscribe-extranonce'] = true;
  if (request.extensions.includes('info')) result.info = true;
  return result;
}

/** Reads a configure result map (proxy ← pool, miner ← proxy). */
export function parseConfigureResult(result: unknown): ConfigureResult {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    throw new StratumError('SM_STRATUM_BAD_RESULT', `${M}: result is not an object`);
  }
  const raw = result as Record<string, unknown>;
  let versionMask: number | undefined;
  if (raw['version-rolling'] === true) {
    const mask = raw['version-rolling.mask'];
    if (typeof mask !== 'string' || !/^[0-9a-fA-F]{8}$/.test(mask)) {
      throw new StratumError('SM_STRATUM_BAD_RESULT', `${M}: version-rolling.mask ${JSON.stringify(mask)}`);
    }
    versionMask = Number.parseInt(mask, 16) >>> 0;
  }
  return {
    versionMask,
    minimumDifficulty: raw['minimum-difficulty'] === true,
    subscribeExtranonce: raw['subscribe-extranonce'] === true,
    raw,
  };
}

/** Request params for a configure (a miner, or the proxy toward its pool asking for the widest mask). */
export function configureParams(request: {
  versionRolling?: { mask: number; minBitCount?: number } | undefined;
  minimumDifficulty?: number | undefined;
  subscribeExtranonce?: boolean | undefined;
}): [string[], Record<string, unknown>] {
  const codes: string[] = [];
  const values: Record<string, unknown> = {};
  if (request.versionRolling) {
    codes.push('version-rolling');
    values['version-rolling.mask'] = uint32ToHex(request.versionRolling.mask);
    if (request.versionRolling.minBitCount !== undefined) {
      values['version-rolling.min-bit-count'] = request.versionRolling.minBitCount;
    }
  }
  if (request.minimumDifficulty !== undefined) {
    codes.push('minimum-difficulty');
    values['minimum-difficulty.value'] = request.minimumDifficulty;
  }
  if (request.subscribeExtranonce) codes.push('subscribe-extranonce');
  return [codes, values];
}
