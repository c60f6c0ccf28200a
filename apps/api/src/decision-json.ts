// The /v1/decision body as JSON text: the same bytes Fastify's serializer makes from the route's response
// schema (decision-json.test.ts holds them equal), built from few large pieces on the hottest route. Schema
// serialization concatenates one small piece per field, and the socket write then flattens that rope: the
// two cost more than the decision. Here endpoint lists are serialized once per market snapshot (the pool
// rows are immutable while it answers) and the body is joined once, into a flat string.

import type { DecisionResult, TargetBody } from './decision-service.ts';

/** The media type Fastify gives a JSON body; a string sent with it is not serialized again. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

interface Endpoint {
  host: string;
  port: number;
  tls: boolean;
  dialect: string;
  region?: string;
}

/** A target's fields up to its endpoints, as JSON, and the values it was written from. */
interface TargetHead {
  poolKey: string;
  pool: string;
  coin: string;
  algorithm: string;
  feeFraction: number;
  json: string;
  /** The head followed by the value fields, for the last few askers of this pool (see `valuesJson`). */
  withValues: TargetValues[];
}

/** A target's value fields as JSON, and the numbers they were written from. */
interface TargetValues {
  hashrateHs: number;
  revenueUsdPerDay: number;
  costUsdPerDay: number;
  valueUsdPerDay: number;
  json: string;
}

/** Askers (hardware, hashrate, profile) remembered per pool: a proxy's few routes ask again and again. */
const VALUES_KEPT = 4;

/**
 * Keyed by the pool row's endpoint list (a target's endpoints are its pool row's), so an entry lives as long
 * as the snapshot holding that row. The other fields are compared, so a hit is always the same text.
 */
const headCache = new WeakMap<readonly unknown[], TargetHead>();

// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters JSON escapes
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

// Escaped as the schema serializer does: plain strings quoted as they are (the common case, and faster
// than JSON.stringify), anything else by JSON.stringify, as it does.
const str = (value: string): string => (NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`);

/** A number as the schema serializer writes one: non-finite as null, NaN refused. */
function num(value: number): string {
  if (Number.isFinite(value)) return `${value}`;
  if (Number.isNaN(value)) throw new Error(`The value "${value}" cannot be converted to a number.`);
  return 'null';
}

/** An integer field (a port): truncated, as the schema serializer rounds by default. */
function int(value: number): string {
  return Number.isInteger(value) ? `${value}` : num(Math.trunc(value));
}

const nullable = <T>(value: T | null, write: (v: T) => string): string =>
  value === null ? 'null' : write(value);

const bool = (value: boolean): string => (value ? 'true' : 'false');

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => `${i}`.padStart(2, '0'));

/** Quoted `toISOString()`, written from its parts (faster), as the schema serializer does. */
function dateTime(at: Date): string {
  const year = at.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) return `"${at.toISOString()}"`;
  const ms = at.getUTCMilliseconds();
  return (
    `"${year}-${TWO_DIGITS[at.getUTCMonth() + 1]}-${TWO_DIGITS[at.getUTCDate()]}` +
    `T${TWO_DIGITS[at.getUTCHours()]}:${TWO_DIGITS[at.getUTCMinutes()]}:${TWO_DIGITS[at.getUTCSeconds()]}` +
    `.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z"`
  );
}

function endpointJson(e: Endpoint): string {
  const region = e.region === undefined ? '' : `,"region":${str(e.region)}`;
  return `{"host":${str(e.host)},"port":${int(e.port)},"tls":${bool(e.tls)},"dialect":${str(e.dialect)}${region}}`;
}

function headJson(t: TargetBody): string {
  return (
    `{"poolKey":${str(t.poolKey)},"pool":${str(t.pool)},"coin":${str(t.coin)}` +
    `,"algorithm":${str(t.algorithm)},"feeFraction":${num(t.feeFraction)}` +
    `,"endpoints":[${(t.endpoints as readonly Endpoint[]).map(endpointJson).join(',')}]`
  );
}

/** The cached head of a target whose fields match, else a new one (cached when it has endpoints to key on). */
function targetHead(t: TargetBody): TargetHead {
  // A target without endpoints has a fresh empty list each time: nothing to key a cache on.
  const head = t.endpoints.length === 0 ? undefined : headCache.get(t.endpoints);
  if (
    head !== undefined &&
    head.poolKey === t.poolKey &&
    head.pool === t.pool &&
    head.coin === t.coin &&
    head.algorithm === t.algorithm &&
    Object.is(head.feeFraction, t.feeFraction)
  )
    return head;
  const fresh: TargetHead = {
    poolKey: t.poolKey,
    pool: t.pool,
    coin: t.coin,
    algorithm: t.algorithm,
    feeFraction: t.feeFraction,
    json: headJson(t),
    withValues: [],
  };
  if (t.endpoints.length > 0) headCache.set(t.endpoints, fresh);
  return fresh;
}

/**
 * The head and the value fields, which hold for one asker as long as the snapshot: numbers turned to text
 * once, not on every request (they are most of a target's text). Compared with Object.is, so -0 and NaN
 * never take another value's text.
 */
function headAndValuesJson(t: TargetBody): string {
  const head = targetHead(t);
  for (const v of head.withValues) {
    if (
      Object.is(v.hashrateHs, t.hashrateHs) &&
      Object.is(v.revenueUsdPerDay, t.revenueUsdPerDay) &&
      Object.is(v.costUsdPerDay, t.costUsdPerDay) &&
      Object.is(v.valueUsdPerDay, t.valueUsdPerDay)
    )
      return v.json;
  }
  const json =
    `${head.json},"hashrateHs":${num(t.hashrateHs)},"revenueUsdPerDay":${num(t.revenueUsdPerDay)}` +
    `,"costUsdPerDay":${num(t.costUsdPerDay)},"valueUsdPerDay":${num(t.valueUsdPerDay)}`;
  if (head.withValues.length >= VALUES_KEPT) head.withValues.shift();
  head.withValues.push({
    hashrateHs: t.hashrateHs,
    revenueUsdPerDay: t.revenueUsdPerDay,
    costUsdPerDay: t.costUsdPerDay,
    valueUsdPerDay: t.valueUsdPerDay,
    json,
  });
  return json;
}

function targetJson(t: TargetBody): string {
  return `${headAndValuesJson(t)},"dataAgeS":${num(t.dataAgeS)}}`;
}

function inputsJson(i: DecisionResult['inputs']): string {
  return (
    '{"thresholdFraction":' +
    num(i.thresholdFraction) +
    ',"minDwellS":' +
    num(i.minDwellS) +
    ',"algorithmSwitchCostS":' +
    num(i.algorithmSwitchCostS) +
    ',"dwellS":' +
    nullable(i.dwellS, num) +
    ',"marginFraction":' +
    nullable(i.marginFraction, num) +
    ',"netMarginFraction":' +
    nullable(i.netMarginFraction, num) +
    ',"expectedUsdPerDay":' +
    nullable(i.expectedUsdPerDay, num) +
    '}'
  );
}

export function decisionJson(r: DecisionResult): string {
  // The chosen target is one of the ranked ones (same object) in every answer that ranks it.
  const ranked = r.ranked.map(targetJson);
  const chosenIndex = r.chosen ? r.ranked.indexOf(r.chosen) : -1;
  const chosen = r.chosen ? (ranked[chosenIndex] ?? targetJson(r.chosen)) : 'null';
  const excluded = r.excluded.map((e) => `{"poolKey":${str(e.poolKey)},"why":${str(e.why)}}`);
  return (
    `{"at":${dateTime(r.at)},"profile":${str(r.profile)},"route":${str(r.route)}` +
    `,"current":${nullable(r.current, str)},"since":${nullable(r.since, dateTime)},"chosen":${chosen}` +
    `,"switched":${bool(r.switched)},"reason":${str(r.reason)},"dataAgeS":${nullable(r.dataAgeS, num)}` +
    `,"snapshotAgeS":${num(r.snapshotAgeS)},"snapshotStale":${bool(r.snapshotStale)}` +
    `,"inputs":${inputsJson(r.inputs)},"ranked":[${ranked.join(',')}],"excluded":[${excluded.join(',')}]}`
  );
}
