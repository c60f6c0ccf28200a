// Minerstat collector: coins (required), hardware and pools (best effort) from the v2 API, key in X-API-Key.
//
// Rate limit: besides the monthly quota (1 unit per call) Minerstat has an edge limit of about 12 requests per
// minute. The HttpClient passed in for this source must therefore be built with `minIntervalMs: 5000`
// (MINERSTAT_MIN_INTERVAL_MS); the composition root does that, so this module only takes the client as a dep.

import { COINS } from '@smart-mining/domain';
import { SourceError } from '../../errors.ts';
import type { HttpClient } from '../../http-client.ts';
import type { Collector, CollectResult } from '../collector.ts';
import { normalizeMinerstatCoins, normalizeMinerstatHardware, normalizeMinerstatPools } from './normalize.ts';
import { parseMinerstatCoins, parseMinerstatHardware, parseMinerstatPools } from './schema.ts';

export const MINERSTAT_DEFAULT_BASE_URL = 'https://api.minerstat.com/v2';
/** 12 requests per minute at most: one every 5 s. */
export const MINERSTAT_MIN_INTERVAL_MS = 5_000;
export const MINERSTAT_SKIP_REASON = 'no MINERSTAT_API_KEY set; Minerstat skipped';

export interface MinerstatCollectorDeps {
  /** Built with minIntervalMs MINERSTAT_MIN_INTERVAL_MS (see the module comment). */
  http: Pick<HttpClient, 'getJson'>;
  apiKey?: string | undefined;
  baseUrl?: string;
  now?: () => Date;
  /** Tickers asked for in `/coins?list=`; defaults to every coin the domain knows. */
  coins?: readonly string[];
}

/** What each refusal means, from Minerstat's documentation (fixtures README §4). */
const REFUSALS: Record<number, string> = {
  401: 'API key missing or bad',
  402: 'monthly quota used up',
  403: 'subscription inactive or key revoked',
};

export function createMinerstatCollector(deps: MinerstatCollectorDeps): Collector {
  const apiKey = deps.apiKey?.trim();
  if (!apiKey) {
    return {
      source: 'minerstat',
      skipReason: MINERSTAT_SKIP_REASON,
      collect: () => Promise.reject(new SourceError('SM_SOURCE_NO_KEY', MINERSTAT_SKIP_REASON)),
    };
  }
  const baseUrl = (deps.baseUrl ?? MINERSTAT_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const now = deps.now ?? (() => new Date());
  const tickers = deps.coins ?? COINS.map((c) => c.key);
  const get = (path: string) => getBody(deps.http, baseUrl, path, apiKey);

  return {
    source: 'minerstat',
    async collect(): Promise<CollectResult> {
      const warnings: string[] = [];
      // /coins first: when it fails the run fails, and no quota is spent on the other two.
      const coinsBody = await get(`/coins?list=${tickers.map(encodeURIComponent).join(',')}`);
      const coins = normalizeMinerstatCoins(parseMinerstatCoins(coinsBody, warnings), now(), warnings);
      if (coins.length === 0)
        throw new SourceError('SM_SOURCE_EMPTY', 'minerstat /coins: no tracked coin in the answer');
      const hardware = await bestEffort('/hardware', warnings, async () => {
        const body = await get('/hardware');
        return normalizeMinerstatHardware(parseMinerstatHardware(body, warnings), now(), warnings);
      });
      const pools = await bestEffort('/pools', warnings, async () => {
        const body = await get('/pools');
        return normalizeMinerstatPools(parseMinerstatPools(body, warnings), now());
      });
      return { coins, pools, hardware, warnings };
    },
  };
}

async function getBody(
  http: Pick<HttpClient, 'getJson'>,
  baseUrl: string,
  path: string,
  apiKey: string,
): Promise<unknown> {
  try {
    const { body } = await http.getJson(`${baseUrl}${path}`, { headers: { 'X-API-Key': apiKey } });
    return body;
  } catch (error) {
    const refusal = error instanceof SourceError && error.status ? REFUSALS[error.status] : undefined;
    if (!refusal) throw error;
    const status = (error as SourceError).status;
    throw new SourceError(
      'SM_SOURCE_API_ERROR',
      `Minerstat refused GET ${path} (HTTP ${status}): ${refusal}`,
      {
        status,
        cause: error,
      },
    );
  }
}

/** Hardware and pools change slowly and are not needed for prices: a failure is a warning, not a failed run. */
async function bestEffort<T>(path: string, warnings: string[], load: () => Promise<T[]>): Promise<T[]> {
  try {
    return await load();
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    warnings.push(`minerstat ${path} skipped: ${error.code}: ${error.message}`);
    return [];
  }
}
