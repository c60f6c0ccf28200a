// Binance collector: one batched 24 h ticker request, and one request per symbol when Binance refuses the batch.

import { COINS, type CoinIdentity } from '@smart-mining/domain';
import { SourceError } from '../../errors.ts';
import type { HttpClient } from '../../http-client.ts';
import { type Collector, type CollectResult, parseBody, parseRows } from '../collector.ts';
import { createMemoryCache, type ResponseCache } from '../response-cache.ts';
import { normalizeBinanceTickers } from './normalize.ts';
import {
  BINANCE_INVALID_SYMBOL,
  binanceErrorSchema,
  binanceTicker24hSchema,
  binanceTickerListSchema,
} from './schema.ts';

export const BINANCE_BASE_URL = 'https://api.binance.com';
const TICKER_PATH = '/api/v3/ticker/24hr';
const WHAT = 'ticker/24hr';

export interface BinanceCollectorDeps {
  http: HttpClient;
  baseUrl?: string;
  coins?: readonly CoinIdentity[];
  now?: () => Date;
  /** Where refused symbols are remembered; the composition root passes the database cache (survives restarts). */
  cache?: ResponseCache;
}

interface Context {
  http: HttpClient;
  tickerUrl: string;
  coins: readonly CoinIdentity[];
  now: () => Date;
  /** Symbols Binance refused (-1121) → until when (ms) they stay out of the batch, so each run costs one request. */
  cache: ResponseCache;
}

const UNLISTED_RECHECK_MS = 24 * 3600 * 1000;
/** Cache key of the refused symbols (the ticker URL names the host, so two base URLs never share refusals). */
const unlistedKey = (context: Context) => `${context.tickerUrl}#unlisted`;

export function createBinanceCollector(deps: BinanceCollectorDeps): Collector {
  const context: Context = {
    http: deps.http,
    tickerUrl: `${(deps.baseUrl ?? BINANCE_BASE_URL).replace(/\/+$/, '')}${TICKER_PATH}`,
    // Coins without a USDT market (ERG, XMR) have no symbol: CoinGecko prices them.
    coins: (deps.coins ?? COINS).filter((c) => c.binanceSymbol),
    now: deps.now ?? (() => new Date()),
    cache: deps.cache ?? createMemoryCache(),
  };
  return { source: 'binance', collect: () => collect(context) };
}

async function collect(context: Context): Promise<CollectResult> {
  const warnings: string[] = [];
  const nowMs = context.now().getTime();
  const unlisted = await loadUnlisted(context);
  const symbols = context.coins.map((c) => c.binanceSymbol!).filter((s) => (unlisted[s] ?? 0) <= nowMs);
  let raw: unknown[] = [];
  if (symbols.length > 0) {
    raw = (await fetchBatch(context, symbols)) ?? (await fetchEach(context, symbols, unlisted, warnings));
  }
  const rows = parseRows(binanceTicker24hSchema, raw.map(keyed), WHAT, warnings);
  const normalized = normalizeBinanceTickers(
    rows.map(([, row]) => row),
    context.coins,
    context.now(),
  );
  warnings.push(...normalized.warnings);
  return { coins: normalized.coins, pools: [], hardware: [], warnings };
}

async function loadUnlisted(context: Context): Promise<Record<string, number>> {
  const entry = await context.cache.get(unlistedKey(context));
  const body = entry?.body;
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(Object.entries(body).filter(([, until]) => typeof until === 'number'));
}

/** All symbols in one request (weight 2 up to 20 symbols); undefined when one of them is unknown to Binance. */
async function fetchBatch(context: Context, symbols: readonly string[]): Promise<unknown[] | undefined> {
  const url = `${context.tickerUrl}?symbols=${encodeURIComponent(JSON.stringify(symbols))}`;
  const { status, body } = await context.http.getJson(url, { acceptStatuses: [400] });
  if (status === 400) {
    if (isInvalidSymbol(body)) return undefined;
    throw binanceError(body, status);
  }
  return parseBody(binanceTickerListSchema, body, WHAT);
}

/** Fallback after -1121: one request per symbol, so one unlisted coin does not cost the others their price. */
async function fetchEach(
  context: Context,
  symbols: readonly string[],
  unlisted: Record<string, number>,
  warnings: string[],
): Promise<unknown[]> {
  const rows: unknown[] = [];
  const refused: string[] = [];
  for (const symbol of symbols) {
    const url = `${context.tickerUrl}?symbol=${encodeURIComponent(symbol)}`;
    const { status, body } = await context.http.getJson(url, { acceptStatuses: [400] });
    if (status !== 400) rows.push(body);
    else if (isInvalidSymbol(body)) refused.push(symbol);
    else throw binanceError(body, status);
  }
  if (refused.length > 0) {
    const at = context.now();
    const until = at.getTime() + UNLISTED_RECHECK_MS;
    for (const symbol of refused) {
      unlisted[symbol] = until;
      warnings.push(
        `${WHAT}: ${symbol} is not a Binance symbol (code ${BINANCE_INVALID_SYMBOL}), skipped for 24 h`,
      );
    }
    await context.cache.set(unlistedKey(context), { fetchedAt: at, body: unlisted });
  }
  return rows;
}

function isInvalidSymbol(body: unknown): boolean {
  const parsed = binanceErrorSchema.safeParse(body);
  return parsed.success && parsed.data.code === BINANCE_INVALID_SYMBOL;
}

function binanceError(body: unknown, status: number): SourceError {
  const parsed = binanceErrorSchema.safeParse(body);
  if (!parsed.success) return new SourceError('SM_SOURCE_HTTP', `${WHAT}: HTTP ${status}`, { status });
  const { code, msg } = parsed.data;
  return new SourceError('SM_SOURCE_API_ERROR', `${WHAT}: Binance error ${code}: ${msg ?? ''}`.trim(), {
    status,
  });
}

/** Rows are named by their symbol in warnings when they have one. */
function keyed(row: unknown, index: number): [string, unknown] {
  const symbol = (row as { symbol?: unknown } | null)?.symbol;
  return [typeof symbol === 'string' ? symbol : `#${index}`, row];
}
