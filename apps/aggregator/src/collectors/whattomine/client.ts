// WhatToMine collector: network figures, BTC-quoted prices and revenue estimates from coins.json and asic.json.

import { type AlgorithmKey, COINS, type CoinIdentity } from '@smart-mining/domain';
import { SourceError } from '../../errors.ts';
import type { HttpClient } from '../../http-client.ts';
import { type Collector, type CollectResult, parseBody, parseRows } from '../collector.ts';
import { DEFAULT_REFERENCE_HASHRATES_HS, normalizeWhattomine, type WhattomineEntry } from './normalize.ts';
import { whattomineCoinSchema, whattomineFileSchema } from './schema.ts';

export const WHATTOMINE_BASE_URL = 'https://whattomine.com';

/**
 * Calculator form ids the fixture README documents, with the unit each form field takes (H/s per unit).
 * Other algorithms' ids (Etchash, KawPow, …) are not documented, so their estimates use what the site sends.
 */
const CALCULATOR_FORM_IDS: Readonly<Partial<Record<AlgorithmKey, { id: string; unitHs: number }>>> = {
  ethash: { id: 'eth', unitHs: 1e6 },
  randomx: { id: 'rmx', unitHs: 1 },
};

/** coins.json (GPU/CPU coins) takes the calculator's form parameters; asic.json is fetched as is. */
const FILES = [
  { file: 'coins.json', calculator: true },
  { file: 'asic.json', calculator: false },
] as const;

export interface WhatToMineCollectorDeps {
  http: HttpClient;
  baseUrl?: string;
  coins?: readonly CoinIdentity[];
  now?: () => Date;
  /** Hashrate (H/s) behind `estimated_rewards` per algorithm; merged over DEFAULT_REFERENCE_HASHRATES_HS. */
  referenceHashratesHs?: Readonly<Partial<Record<AlgorithmKey, number>>>;
}

interface Context {
  http: HttpClient;
  baseUrl: string;
  coins: readonly CoinIdentity[];
  now: () => Date;
  referenceHashratesHs: Readonly<Partial<Record<AlgorithmKey, number>>>;
}

export function createWhatToMineCollector(deps: WhatToMineCollectorDeps): Collector {
  const context: Context = {
    http: deps.http,
    baseUrl: (deps.baseUrl ?? WHATTOMINE_BASE_URL).replace(/\/+$/, ''),
    coins: deps.coins ?? COINS,
    now: deps.now ?? (() => new Date()),
    referenceHashratesHs: { ...DEFAULT_REFERENCE_HASHRATES_HS, ...deps.referenceHashratesHs },
  };
  return { source: 'whattomine', collect: () => collect(context) };
}

/** `<id>=true&factor[<id>_hr]=<hashrate in the form's unit>` for every documented form id we have a hashrate for. */
export function calculatorQuery(
  referenceHashratesHs: Readonly<Partial<Record<AlgorithmKey, number>>>,
): URLSearchParams {
  const query = new URLSearchParams();
  for (const [algorithm, form] of Object.entries(CALCULATOR_FORM_IDS)) {
    const hashrateHs = referenceHashratesHs[algorithm as AlgorithmKey];
    if (!form || !hashrateHs) continue;
    query.set(form.id, 'true');
    query.set(`factor[${form.id}_hr]`, String(hashrateHs / form.unitHs));
  }
  return query;
}

async function collect(context: Context): Promise<CollectResult> {
  const warnings: string[] = [];
  const settled = await Promise.allSettled(
    FILES.map(({ file, calculator }) => fetchFile(context, file, calculator, warnings)),
  );
  const entries = keepSucceeded(settled, warnings);
  const normalized = normalizeWhattomine(entries, {
    coins: context.coins,
    referenceHashratesHs: context.referenceHashratesHs,
    now: context.now(),
  });
  warnings.push(...normalized.warnings);
  return { coins: normalized.coins, pools: [], hardware: [], warnings };
}

async function fetchFile(
  context: Context,
  file: string,
  calculator: boolean,
  warnings: string[],
): Promise<WhattomineEntry[]> {
  const query = calculator ? calculatorQuery(context.referenceHashratesHs).toString() : '';
  const url = `${context.baseUrl}/${file}${query ? `?${query}` : ''}`;
  const { body } = await context.http.getJson(url);
  const { coins } = parseBody(whattomineFileSchema, body, file);
  const rows = parseRows(whattomineCoinSchema, Object.entries(coins), file, warnings);
  return rows.map(([name, row]) => ({ file, name, row }));
}

/** One file failing costs its coins (a warning); both failing fails the run with the first file's code. */
function keepSucceeded(
  settled: readonly PromiseSettledResult<WhattomineEntry[]>[],
  warnings: string[],
): WhattomineEntry[] {
  const failures: SourceError[] = [];
  for (const result of settled) {
    if (result.status === 'fulfilled') continue;
    if (!(result.reason instanceof SourceError)) throw result.reason;
    failures.push(result.reason);
  }
  const [first] = failures;
  if (first && failures.length === settled.length) {
    const message = `coins.json and asic.json both failed: ${failures.map((f) => f.message).join('; ')}`;
    throw new SourceError(first.code, message, {
      cause: first,
      ...(first.status !== undefined ? { status: first.status } : {}),
      ...(first.retryAfterS !== undefined ? { retryAfterS: first.retryAfterS } : {}),
    });
  }
  for (const failure of failures) warnings.push(`${failure.code}: ${failure.message}`);
  return settled.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
}
