// Zod schemas of Binance's GET /api/v3/ticker/24hr rows and its error body.

import { z } from 'zod';
import { numeric } from '../collector.ts';

/** Binance's "Invalid symbol." code: sent (HTTP 400) for the whole batch when one symbol is unknown. */
export const BINANCE_INVALID_SYMBOL = -1121;

/** Only the fields we use; prices and volumes arrive as decimal strings, times as Unix milliseconds. */
export const binanceTicker24hSchema = z.object({
  symbol: z.string(),
  lastPrice: numeric,
  quoteVolume: numeric.optional(),
  closeTime: numeric.optional(),
});
export type BinanceTicker24h = z.infer<typeof binanceTicker24hSchema>;

export const binanceTickerListSchema = z.array(z.unknown());

export const binanceErrorSchema = z.object({ code: numeric, msg: z.string().optional() });
export type BinanceError = z.infer<typeof binanceErrorSchema>;
