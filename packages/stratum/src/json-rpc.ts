// JSON-RPC 1.0-ish messages as Stratum uses them (stratum.md §1): one line in, a typed message out, and back.

import { type RpcError, StratumError } from './errors.ts';

/** Echoed exactly as received: a number, a string or null. */
export type RpcId = number | string | null;

export type RpcMessage =
  /** A call that wants an answer (id not null). `params` is whatever was sent (`[]` when absent). */
  | { kind: 'request'; id: number | string; method: string; params: unknown }
  /** A push without an answer (`"id": null` or no id). */
  | { kind: 'notification'; id: null; method: string; params: unknown }
  /** A successful answer (`error` null or absent); `result` may be false (e.g. authorize refused). */
  | { kind: 'response'; id: RpcId; result: unknown }
  /** An answer carrying an error, in either wire style, normalised. */
  | { kind: 'error'; id: RpcId; result: unknown; error: RpcError };

/** A message that names a method: a request or a notification. */
export type RpcCall = Extract<RpcMessage, { method: string }>;

/**
 * Parses one line. Throws StratumError SM_STRATUM_BAD_JSON or SM_STRATUM_BAD_MESSAGE.
 * NiceHash's literal `NULL` (its spec's reject example) is read as `null` when the plain parse fails.
 */
export function parseMessage(line: string): RpcMessage {
  return messageFrom(parseJson(line));
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    const lenient = line.includes('NULL') ? replaceBareNull(line) : undefined;
    if (lenient !== undefined) {
      try {
        return JSON.parse(lenient);
      } catch {}
    }
    throw new StratumError('SM_STRATUM_BAD_JSON', JSON.stringify(line.slice(0, 120)));
  }
}

/** `NULL` outside strings → `null`. */
function replaceBareNull(line: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (inString) {
      if (c === '\\') {
        out += c + (line[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === 'N' && line.startsWith('NULL', i)) {
      out += 'null';
      i += 3;
      continue;
    }
    out += c;
  }
  return out;
}

function bad(detail: string): never {
  throw new StratumError('SM_STRATUM_BAD_MESSAGE', detail);
}

function messageFrom(value: unknown): RpcMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad('not a JSON object');
  const m = value as Record<string, unknown>;
  const id = m.id ?? null;
  if (id !== null && typeof id !== 'number' && typeof id !== 'string')
    bad('id is not a number, string or null');
  if (m.method !== undefined) {
    if (typeof m.method !== 'string' || m.method.length === 0) bad('method is not a non-empty string');
    const params = m.params ?? [];
    return id === null
      ? { kind: 'notification', id: null, method: m.method, params }
      : { kind: 'request', id, method: m.method, params };
  }
  if (!('result' in m) && !('error' in m)) bad('neither method, result nor error');
  const result = m.result ?? null;
  if (noError(m.error)) {
    const reason = m['reject-reason'];
    // ckpool refuses a share as `result: false, error: null` and says why in "reject-reason" ("Stale").
    if (result === false && typeof reason === 'string' && reason !== '') {
      return {
        kind: 'error',
        id,
        result,
        error: { code: rejectReasonCode(reason), message: reason, data: null },
      };
    }
    return { kind: 'response', id, result };
  }
  return { kind: 'error', id, result, error: rpcErrorFrom(m.error) };
}

/** The catalogue's code for a reject reason in words (21 stale, 22 duplicate, 23 low difficulty, else 20). */
function rejectReasonCode(reason: string): number {
  if (/stale|job ?id|job not found/i.test(reason)) return 21;
  if (/duplicate|dupe/i.test(reason)) return 22;
  if (/above target|low diff|high.hash/i.test(reason)) return 23;
  return 20;
}

/**
 * `null` or absent; some pools write "no error" as `false`, `""`, `[]` or an empty error object (`{}`, code 0
 * with no message) beside a result.
 */
function noError(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value !== 'object') return false;
  const e = value as Record<string, unknown>;
  return (e.code === undefined || e.code === null || e.code === 0) && !e.message;
}

/**
 * Slush array `[code, message, traceback]`, object `{code, message, data}`, or a bare message string. An answer
 * whose error is there but oddly shaped is still an answer with an error (a lost verdict would leave a share
 * waiting): a code that is not a number ("21", or none) reads as its number, else 20, "Other/Unknown".
 */
function rpcErrorFrom(value: unknown): RpcError {
  if (Array.isArray(value)) {
    const [code, message, data] = value;
    return { code: errorCode(code), message: errorMessage(message), data: data ?? null };
  }
  if (typeof value === 'object' && value !== null) {
    const e = value as Record<string, unknown>;
    return { code: errorCode(e.code), message: errorMessage(e.message), data: e.data ?? e.traceback ?? null };
  }
  if (typeof value === 'string') return { code: 20, message: value, data: null };
  return { code: 20, message: errorMessage(value), data: null };
}

function errorCode(code: unknown): number {
  const n = typeof code === 'string' && code.trim() !== '' ? Number(code) : code;
  return typeof n === 'number' && Number.isInteger(n) ? n : 20;
}

function errorMessage(message: unknown): string {
  if (typeof message === 'string') return message;
  return message === undefined || message === null ? '' : JSON.stringify(message);
}

const idJson = (id: RpcId): string => (typeof id === 'number' ? String(id) : JSON.stringify(id));

/** `{"id":…,"result":…,"error":null}\n` — `"error": null` always present (NiceHash's validator insists). */
export function encodeResult(id: RpcId, result: unknown): string {
  return `{"id":${idJson(id)},"result":${JSON.stringify(result ?? null)},"error":null}\n`;
}

/** An error reply in the slush array style `[code, message, null]` that every V1 miner reads. */
export function encodeError(id: RpcId, error: RpcError, result: null | false = null): string {
  const e = JSON.stringify([error.code, error.message, error.data ?? null]);
  return `{"id":${idJson(id)},"result":${result === null ? 'null' : 'false'},"error":${e}}\n`;
}

export function encodeRequest(id: number | string, method: string, params: unknown): string {
  return `{"id":${idJson(id)},"method":${JSON.stringify(method)},"params":${JSON.stringify(params)}}\n`;
}

export function encodeNotification(method: string, params: unknown): string {
  return `{"id":null,"method":${JSON.stringify(method)},"params":${JSON.stringify(params)}}\n`;
}
