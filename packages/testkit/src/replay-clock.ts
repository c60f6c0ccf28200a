// Moves the recorded responses' timestamps so the recording's moment becomes "now": the offline market reads as
// fresh (prices in consensus, nothing stale) instead of as a market of February 2024.

/** When the served fixtures were recorded (2Miners' `now`; the other sources' times lie within minutes of it). */
export const RECORDED_AT = new Date('2024-02-16T16:36:12Z');

/**
 * Fields that date the data, in every source's responses: Binance `openTime`/`closeTime` (ms), CoinGecko
 * `last_updated` (ISO) and `last_updated_at` (s), Minerstat `updated` (s), WhatToMine `timestamp` (s), 2Miners
 * `now` (ms), `lastBlockFound`, `lastBeat`, `lastShare` and `timestamp` (s). Only these names are moved, so a
 * hashrate or a block height that happens to look like a time is left alone.
 */
const TIME_FIELDS = new Set([
  'openTime',
  'closeTime',
  'last_updated',
  'last_updated_at',
  'updated',
  'timestamp',
  'now',
  'lastBlockFound',
  'lastBeat',
  'lastShare',
]);

const MS_SINCE_2001 = 1e12;
const S_SINCE_2001 = 1e9;

function shiftValue(value: unknown, deltaMs: number): unknown {
  if (typeof value === 'number') {
    if (value >= MS_SINCE_2001) return Math.round(value + deltaMs);
    if (value >= S_SINCE_2001) return Math.round(value + deltaMs / 1000);
    return value;
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? value : new Date(ms + deltaMs).toISOString();
  }
  return value;
}

/** A copy of `body` with every time field moved by `deltaMs`. */
export function shiftRecordedTimes(body: unknown, deltaMs: number): unknown {
  if (Array.isArray(body)) return body.map((item) => shiftRecordedTimes(item, deltaMs));
  if (body && typeof body === 'object') {
    return Object.fromEntries(
      Object.entries(body).map(([key, value]) => [
        key,
        TIME_FIELDS.has(key) ? shiftValue(value, deltaMs) : shiftRecordedTimes(value, deltaMs),
      ]),
    );
  }
  return body;
}
