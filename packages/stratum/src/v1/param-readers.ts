// Small readers shared by the V1 param parsers: each checks one field and names it in its error.

import { StratumError } from '../errors.ts';
import { normalizeHex, normalizeUint32Hex } from '../hex.ts';

export function badParams(method: string, detail: string): never {
  throw new StratumError('SM_STRATUM_BAD_PARAMS', `${method}: ${detail}`);
}

/** The params array (absent → empty); an object or scalar is a wrong shape for V1. */
export function paramList(method: string, params: unknown, minLength = 0): readonly unknown[] {
  if (absent(params)) {
    if (minLength > 0) badParams(method, `expected ${minLength} params, got none`);
    return [];
  }
  if (!Array.isArray(params)) badParams(method, 'params is not an array');
  if (params.length < minLength)
    badParams(method, `expected at least ${minLength} params, got ${params.length}`);
  return params;
}

export function readString(method: string, value: unknown, field: string): string {
  if (typeof value !== 'string') badParams(method, `${field} is not a string`);
  return value;
}

/** JSON null and a missing param both mean "not given". */
export function absent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

export function readOptionalString(method: string, value: unknown, field: string): string | undefined {
  return absent(value) ? undefined : readString(method, value, field);
}

/** Job ids are opaque strings; a numeric id is read as its decimal string. */
export function readJobId(method: string, value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  const id = readString(method, value, 'job_id');
  if (id.length === 0) badParams(method, 'job_id is empty');
  return id;
}

export function readHex(method: string, value: unknown, field: string, bytes?: number): string {
  try {
    return normalizeHex(value, field, bytes);
  } catch (e) {
    badParams(method, (e as Error).message);
  }
}

/** A uint32 as hex, leading zeros optional (normalised to 8 digits). */
export function readUint32Hex(method: string, value: unknown, field: string): string {
  try {
    return normalizeUint32Hex(value, field);
  } catch (e) {
    badParams(method, (e as Error).message);
  }
}

/** A finite positive number, also given as a numeric string (cpuminer-opt sends `"%f"`). */
export function readPositiveNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
}

/** extranonce2_size: cpuminer refuses 0 and anything over 100. */
export function readExtranonce2Size(method: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 100) {
    badParams(method, `extranonce2_size ${JSON.stringify(value)} is not an integer in 1..100`);
  }
  return value;
}
