// Zod schemas of Minerstat's v2 /coins, /hardware and /pools bodies, and their row-by-row validation.

import { z } from 'zod';
import { label, numeric, parseBody, parseRows } from '../collector.ts';

/** Minerstat writes -1 for an unknown number; null or an absent field is read the same way by normalize. */
const maybeNumber = numeric.nullish();

export const minerstatCoinSchema = z.object({
  coin: label,
  name: z.string().nullish(),
  type: z.string(),
  algorithm: label,
  network_hashrate: maybeNumber,
  difficulty: maybeNumber,
  /** Coins earned by 1 H/s in one HOUR (fixtures README §4). */
  reward: maybeNumber,
  reward_block: maybeNumber,
  price: maybeNumber,
  volume: maybeNumber,
  /** Unix seconds. */
  updated: maybeNumber,
});
export type MinerstatCoin = z.infer<typeof minerstatCoinSchema>;

export const minerstatDeviceSchema = z.object({
  name: label,
  /** Already a slug (`nvidia-rtx-3080`); it becomes our hardware id. */
  url: label,
  type: label,
  brand: label,
  /** Keyed by Minerstat's algorithm name; hashrate in H/s, power in W. */
  algorithms: z.record(z.string(), z.object({ hashrate: numeric, power: maybeNumber })),
});
export type MinerstatDevice = z.infer<typeof minerstatDeviceSchema>;

export const minerstatPoolSchema = z.object({
  name: z.string().nullish(),
  url: label,
  /** Keyed by coin ticker (or a combination like `ETH+ZIL`); every value is a display string. */
  coins: z.record(z.string(), z.object({ fee: z.string().nullish() })),
});
export type MinerstatPool = z.infer<typeof minerstatPoolSchema>;

const list = z.array(z.unknown());

export function parseMinerstatCoins(body: unknown, warnings: string[]): MinerstatCoin[] {
  const rows = parseBody(list, body, 'minerstat /coins');
  // Pool rows ("2MINERS ZEC") are pool-specific estimates, not coins: dropped before validation so they never warn.
  const coinRows = rows.filter((row) => fieldOf(row, 'type') !== 'pool');
  return values(parseRows(minerstatCoinSchema, keyed(coinRows, 'coin'), 'minerstat /coins', warnings));
}

export function parseMinerstatHardware(body: unknown, warnings: string[]): MinerstatDevice[] {
  const rows = parseBody(list, body, 'minerstat /hardware');
  return values(parseRows(minerstatDeviceSchema, keyed(rows, 'url'), 'minerstat /hardware', warnings));
}

export function parseMinerstatPools(body: unknown, warnings: string[]): MinerstatPool[] {
  const rows = parseBody(list, body, 'minerstat /pools');
  return values(parseRows(minerstatPoolSchema, keyed(rows, 'url'), 'minerstat /pools', warnings));
}

function fieldOf(row: unknown, field: string): unknown {
  return row && typeof row === 'object' ? (row as Record<string, unknown>)[field] : undefined;
}

/** Names each row by a telling field so a skipped-row warning says which one. */
function keyed(rows: readonly unknown[], field: string): [string, unknown][] {
  return rows.map((row, index) => {
    const name = fieldOf(row, field);
    return [typeof name === 'string' && name !== '' ? name : `#${index}`, row];
  });
}

function values<T>(rows: [string, T][]): T[] {
  return rows.map(([, row]) => row);
}
