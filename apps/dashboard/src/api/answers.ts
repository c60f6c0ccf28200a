// Reads the API's answers for the miners and switches views: checks the shape the contract promises (no zod in
// the bundle) and says which field is wrong, so a server that answers something else shows a clear error.

import type { MinerStats, SwitchLogEntry, SwitchMethod } from './types.ts';

/** An answer that is not what the contract says, with the path of the first field that is wrong. */
export class AnswerError extends Error {
  readonly path: string;
  constructor(path: string, problem: string) {
    super(`unexpected answer: ${path} ${problem}`);
    this.name = 'AnswerError';
    this.path = path;
  }
}

type Json = Record<string, unknown>;

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AnswerError(path, 'is not an object');
  return value as Json;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new AnswerError(path, 'is not a list');
  return value;
}

function string(o: Json, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new AnswerError(`${path}/${key}`, 'is not text');
  return v;
}

function nullableString(o: Json, key: string, path: string): string | null {
  return o[key] === null || o[key] === undefined ? null : string(o, key, path);
}

function number(o: Json, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new AnswerError(`${path}/${key}`, 'is not a number');
  return v;
}

function nullableNumber(o: Json, key: string, path: string): number | null {
  return o[key] === null || o[key] === undefined ? null : number(o, key, path);
}

function time(o: Json, key: string, path: string): string {
  const v = string(o, key, path);
  if (Number.isNaN(Date.parse(v))) throw new AnswerError(`${path}/${key}`, 'is not a date-time');
  return v;
}

function nullableTime(o: Json, key: string, path: string): string | null {
  return o[key] === null || o[key] === undefined ? null : time(o, key, path);
}

const METHODS: readonly SwitchMethod[] = [
  'notify',
  'set_extranonce',
  'reconnect',
  'new_job',
  'close',
  'failover',
];

/** GET /v1/miners. */
export function readMiners(body: unknown): MinerStats[] {
  const list = array(object(body, 'answer').miners, 'miners');
  return list.map((item, i) => {
    const path = `miners/${i}`;
    const o = object(item, path);
    return {
      proxy: string(o, 'proxy', path),
      miner: string(o, 'miner', path),
      poolKey: string(o, 'poolKey', path),
      profile: nullableString(o, 'profile', path),
      hardware: nullableString(o, 'hardware', path),
      algorithm: nullableString(o, 'algorithm', path),
      connectedAt: nullableTime(o, 'connectedAt', path),
      accepted: number(o, 'accepted', path),
      rejected: number(o, 'rejected', path),
      stale: number(o, 'stale', path),
      agent: nullableString(o, 'agent', path),
      hashrateHs: nullableNumber(o, 'hashrateHs', path),
      usdPerDay: nullableNumber(o, 'usdPerDay', path),
      reportedAt: time(o, 'reportedAt', path),
    };
  });
}

function readInputs(value: unknown, path: string): SwitchLogEntry['inputs'] {
  const o = object(value, path);
  return {
    thresholdFraction: number(o, 'thresholdFraction', path),
    minDwellS: number(o, 'minDwellS', path),
    algorithmSwitchCostS: number(o, 'algorithmSwitchCostS', path),
    dwellS: nullableNumber(o, 'dwellS', path),
    marginFraction: nullableNumber(o, 'marginFraction', path),
    netMarginFraction: nullableNumber(o, 'netMarginFraction', path),
    expectedUsdPerDay: nullableNumber(o, 'expectedUsdPerDay', path),
  };
}

/** GET /v1/switches. */
export function readSwitches(body: unknown): SwitchLogEntry[] {
  const list = array(object(body, 'answer').switches, 'switches');
  return list.map((item, i) => {
    const path = `switches/${i}`;
    const o = object(item, path);
    const method = string(o, 'method', path);
    if (!METHODS.includes(method as SwitchMethod))
      throw new AnswerError(`${path}/method`, `is not one of ${METHODS.join(', ')}`);
    return {
      id: number(o, 'id', path),
      at: time(o, 'at', path),
      receivedAt: time(o, 'receivedAt', path),
      proxy: string(o, 'proxy', path),
      account: string(o, 'account', path),
      route: string(o, 'route', path),
      profile: string(o, 'profile', path),
      fromPoolKey: nullableString(o, 'fromPoolKey', path),
      toPoolKey: string(o, 'toPoolKey', path),
      reason: string(o, 'reason', path),
      method: method as SwitchMethod,
      miners: nullableNumber(o, 'miners', path),
      inputs: readInputs(o.inputs, `${path}/inputs`),
      idempotencyKey: string(o, 'idempotencyKey', path),
    };
  });
}
