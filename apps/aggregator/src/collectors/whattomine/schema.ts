// Zod schemas of WhatToMine's legacy coins.json / asic.json files and their per-coin entries.

import { z } from 'zod';
import { numeric } from '../collector.ts';

/** Both files wrap their entries as `{"coins": {"<Name>": {...}}}`; entries are validated one by one. */
export const whattomineFileSchema = z.object({ coins: z.record(z.string(), z.unknown()) });

/** Amount strings the site formats for display may carry thousands separators ("1,234.5"). */
const displayNumber = z.preprocess((v) => (typeof v === 'string' ? v.replaceAll(',', '') : v), numeric);

/**
 * Only the fields we use. Optional ones are absent in real files: the recorded 2026 asic.json has no
 * `nethash`, `estimated_rewards` or `exchange_rate_vol`, and some of its rows no `block_time`.
 */
export const whattomineCoinSchema = z.object({
  id: numeric.pipe(z.number().int().positive()),
  tag: z.string(),
  algorithm: z.string(),
  /** Average seconds per block, sent as a string. */
  block_time: numeric.optional(),
  block_reward: numeric,
  difficulty: numeric,
  /** H/s (Sol/s for Equihash). */
  nethash: numeric.optional(),
  /** BTC per coin, except in the Bitcoin entry where it is USD per BTC. */
  exchange_rate: numeric,
  exchange_rate_vol: numeric.optional(),
  exchange_rate_curr: z.string().optional(),
  /** Coins per 24 h at the calculator's hashrate (not per H/s). */
  estimated_rewards: displayNumber.optional(),
  lagging: z.boolean().optional(),
  /** Unix seconds. */
  timestamp: numeric.optional(),
});
export type WhattomineCoin = z.infer<typeof whattomineCoinSchema>;
