// Zod schemas of CoinGecko's GET /coins/markets rows and its error body.

import { z } from 'zod';
import { numeric } from '../collector.ts';

/** Only the fields we use; `current_price` must be present but CoinGecko sends null for coins it cannot price. */
export const coingeckoMarketSchema = z.object({
  id: z.string(),
  symbol: z.string().optional(),
  current_price: numeric.nullable(),
  total_volume: numeric.nullish(),
  last_updated: z.iso.datetime({ offset: true }).nullish(),
});
export type CoingeckoMarket = z.infer<typeof coingeckoMarketSchema>;

export const coingeckoMarketListSchema = z.array(z.unknown());

/** Error body CoinGecko sends with 429 and, on some plans, with other refusals. */
export const coingeckoErrorSchema = z.object({
  status: z.object({ error_code: numeric, error_message: z.string() }),
});
