// Unit constants and conversions; everything stored is H/s, W, USD/day, seconds, fractions.

export const SECONDS_PER_DAY = 86_400;
export const TWO_POW_32 = 4_294_967_296;
export const TWO_POW_13 = 8192;

export const HASHRATE_UNITS = {
  'H/s': 1,
  'kH/s': 1e3,
  'MH/s': 1e6,
  'GH/s': 1e9,
  'TH/s': 1e12,
  'PH/s': 1e15,
  'EH/s': 1e18,
} as const;

export type HashrateUnit = keyof typeof HASHRATE_UNITS;

export function toHs(value: number, unit: HashrateUnit): number {
  return value * HASHRATE_UNITS[unit];
}

/** "1%" or "1.5 %" → 0.01 / 0.015; undefined when the text holds no percentage. */
export function parsePercentFraction(text: string): number | undefined {
  const match = /(-?\d+(?:\.\d+)?)\s*%/.exec(text);
  return match ? Number(match[1]) / 100 : undefined;
}

/** A finite number from a JSON number or numeric string; undefined for anything else (incl. -1 sentinels left to callers). */
export function toFiniteNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}
