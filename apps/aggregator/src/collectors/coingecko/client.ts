// CoinGecko collector: USD prices and volumes of our coins from /coins/markets, with an optional Demo or Pro key.

import { COINS, type CoinIdentity } from '@smart-mining/domain';
import { SourceError } from '../../errors.ts';
import type { HttpClient } from '../../http-client.ts';
import { type Collector, type CollectResult, parseBody, parseRows } from '../collector.ts';
import { normalizeCoingeckoMarkets } from './normalize.ts';
import { coingeckoErrorSchema, coingeckoMarketListSchema, coingeckoMarketSchema } from './schema.ts';

export const COINGECKO_BASE_URL = 'https://api.coingecko.com/api/v3';
export const COINGECKO_PRO_BASE_URL = 'https://pro-api.coingecko.com/api/v3';
/** The most rows /coins/markets returns per page. */
const PER_PAGE = 250;
const WHAT = 'coins/markets';

export type CoingeckoPlan = 'demo' | 'pro';

export interface CoinGeckoCollectorDeps {
  http: HttpClient;
  /** Defaults to the public host, or the pro host when `plan` is 'pro' (a key works only on its own host). */
  baseUrl?: string;
  coins?: readonly CoinIdentity[];
  now?: () => Date;
  /** Optional: the public API answers without a key, at a lower rate limit. */
  apiKey?: string;
  plan?: CoingeckoPlan;
}

interface Context {
  http: HttpClient;
  baseUrl: string;
  headers: Record<string, string>;
  coins: readonly CoinIdentity[];
  now: () => Date;
}

export function createCoinGeckoCollector(deps: CoinGeckoCollectorDeps): Collector {
  const plan = deps.plan ?? 'demo';
  const defaultUrl = plan === 'pro' ? COINGECKO_PRO_BASE_URL : COINGECKO_BASE_URL;
  const context: Context = {
    http: deps.http,
    baseUrl: (deps.baseUrl ?? defaultUrl).replace(/\/+$/, ''),
    headers: coingeckoKeyHeaders(deps.apiKey, plan),
    coins: (deps.coins ?? COINS).filter((c) => c.coingeckoId),
    now: deps.now ?? (() => new Date()),
  };
  const skipReason =
    plan === 'pro' && !deps.apiKey ? 'CoinGecko plan "pro" needs an API key (none configured)' : undefined;
  return { source: 'coingecko', ...(skipReason ? { skipReason } : {}), collect: () => collect(context) };
}

/** The key travels in a header, never in the URL, so it stays out of logs. */
export function coingeckoKeyHeaders(apiKey: string | undefined, plan: CoingeckoPlan): Record<string, string> {
  if (!apiKey) return {};
  return { [plan === 'pro' ? 'x-cg-pro-api-key' : 'x-cg-demo-api-key']: apiKey };
}

async function collect(context: Context): Promise<CollectResult> {
  const warnings: string[] = [];
  const ids = context.coins.map((c) => c.coingeckoId!);
  const raw: unknown[] = [];
  for (let start = 0; start < ids.length; start += PER_PAGE) {
    raw.push(...(await fetchMarkets(context, ids.slice(start, start + PER_PAGE))));
  }
  const rows = parseRows(coingeckoMarketSchema, raw.map(keyed), WHAT, warnings);
  const normalized = normalizeCoingeckoMarkets(
    rows.map(([, row]) => row),
    context.coins,
    context.now(),
  );
  warnings.push(...normalized.warnings);
  if (normalized.coins.length === 0)
    throw new SourceError(
      'SM_SOURCE_EMPTY',
      `${WHAT}: no price for any of our coins (${warnings.join('; ') || 'empty answer'})`,
    );
  return { coins: normalized.coins, pools: [], hardware: [], warnings };
}

async function fetchMarkets(context: Context, ids: readonly string[]): Promise<unknown[]> {
  const query = new URLSearchParams({ vs_currency: 'usd', ids: ids.join(','), per_page: String(PER_PAGE) });
  const { body } = await context.http.getJson(`${context.baseUrl}/coins/markets?${query}`, {
    headers: context.headers,
  });
  // CoinGecko's own error object instead of the array means the request was refused, not malformed data.
  const error = coingeckoErrorSchema.safeParse(body);
  if (error.success) {
    const { error_code, error_message } = error.data.status;
    throw new SourceError('SM_SOURCE_API_ERROR', `${WHAT}: CoinGecko error ${error_code}: ${error_message}`);
  }
  return parseBody(coingeckoMarketListSchema, body, WHAT);
}

/** Rows are named by their id in warnings when they have one. */
function keyed(row: unknown, index: number): [string, unknown] {
  const id = (row as { id?: unknown } | null)?.id;
  return [typeof id === 'string' ? id : `#${index}`, row];
}
