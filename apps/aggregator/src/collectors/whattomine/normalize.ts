// Turns validated WhatToMine coins.json / asic.json entries into CoinObservations in our units; pure, no I/O.

import {
  type AlgorithmKey,
  algorithmFromAlias,
  type CoinIdentity,
  type CoinObservation,
  coinsPerHsDay,
  hashrateFromDifficulty,
} from '@smart-mining/domain';
import { fromUnixSeconds } from '../unix-time.ts';
import type { WhattomineCoin } from './schema.ts';

/** WhatToMine's id of Bitcoin (confirmed); its entry quotes `exchange_rate` in USD and gives us BTC/USD. */
export const WHATTOMINE_BITCOIN_ID = 1;

/**
 * Hashrate (H/s) behind `estimated_rewards` per algorithm: the values the fixture README says the constructed
 * files were computed for. The client passes those it can to the calculator (see calculatorQuery).
 */
export const DEFAULT_REFERENCE_HASHRATES_HS: Readonly<Partial<Record<AlgorithmKey, number>>> = {
  etchash: 100e6,
  kawpow: 30e6,
  autolykos2: 200e6,
  randomx: 10e3,
  sha256d: 100e12,
  scrypt: 9.5e9,
  kheavyhash: 8e12,
};

/**
 * Within one snapshot `estimated_rewards` and the network figures agree to rounding; a factor of 2 or more
 * means the calculator used another hashrate (its own default rig) than our reference, so the estimate is dropped.
 */
const ESTIMATE_MAX_RATIO = 2;
/** Names listed in the "not ours" warning; the real files hold about a hundred entries. */
const MAX_LISTED = 10;

export interface WhattomineEntry {
  /** `coins.json` or `asic.json`, for warnings. */
  file: string;
  /** The entry's key in the file, e.g. `EthereumClassic`. */
  name: string;
  row: WhattomineCoin;
}

export interface WhattomineNormalizeOptions {
  coins: readonly CoinIdentity[];
  referenceHashratesHs: Readonly<Partial<Record<AlgorithmKey, number>>>;
  now: Date;
}

export interface NormalizedCoins {
  coins: CoinObservation[];
  warnings: string[];
}

interface Match {
  entry: WhattomineEntry;
  coin: CoinIdentity;
  algorithm: AlgorithmKey;
  viaTag: boolean;
}

export function normalizeWhattomine(
  entries: readonly WhattomineEntry[],
  options: WhattomineNormalizeOptions,
): NormalizedCoins {
  const warnings: string[] = [];
  const matches = matchEntries(entries, options.coins, warnings);
  const bitcoin = entries.find((e) => e.row.id === WHATTOMINE_BITCOIN_ID && e.row.exchange_rate > 0);
  const btcUsd = bitcoin?.row.exchange_rate;
  if (btcUsd === undefined && matches.length > 0) {
    warnings.push('no Bitcoin entry (asic.json): no BTC/USD rate, so no USD prices');
  }
  const coins = matches.map((m) => observe(m, btcUsd, options, warnings));
  return { coins, warnings };
}

/** Entries → our coins: by numeric id; by tag only when the id is unknown and the algorithm agrees. */
function matchEntries(
  entries: readonly WhattomineEntry[],
  coins: readonly CoinIdentity[],
  warnings: string[],
): Match[] {
  const byId = new Map(coins.filter((c) => c.whattomineId !== undefined).map((c) => [c.whattomineId!, c]));
  const byKey = new Map(coins.map((c) => [c.key, c]));
  const chosen = new Map<string, Match>();
  const byTag: Match[] = [];
  const notOurs: string[] = [];
  for (const entry of entries) {
    const found = identify(entry, byId, byKey);
    if (typeof found === 'string') warnings.push(found);
    else if (!found) notOurs.push(label(entry));
    else if (found.viaTag) byTag.push(found);
    // An id listed in both files keeps its first (coins.json) entry, whose estimate is for our GPU reference.
    else if (!chosen.has(found.coin.key)) chosen.set(found.coin.key, found);
  }
  acceptTagMatches(byTag, chosen, notOurs, warnings);
  if (notOurs.length > 0) {
    const shown = notOurs.slice(0, MAX_LISTED).join(', ') + (notOurs.length > MAX_LISTED ? ', …' : '');
    warnings.push(`${notOurs.length} entries not in our coin list skipped: ${shown}`);
  }
  const missing = [...byId.values()].filter((c) => !chosen.has(c.key)).map((c) => c.key);
  if (missing.length > 0) warnings.push(`no entry for ${missing.join(', ')}`);
  return [...chosen.values()];
}

function identify(
  entry: WhattomineEntry,
  byId: ReadonlyMap<number, CoinIdentity>,
  byKey: ReadonlyMap<string, CoinIdentity>,
): Match | string | undefined {
  const { row } = entry;
  const algorithm = algorithmFromAlias(row.algorithm);
  const known = byId.get(row.id);
  if (known) {
    if (algorithm === known.algorithm) return { entry, coin: known, algorithm, viaTag: false };
    return `${label(entry)}: id is ${known.key} but algorithm "${row.algorithm}" is not ${known.algorithm}, skipped`;
  }
  const tagged = byKey.get(row.tag.toUpperCase());
  if (tagged && algorithm === tagged.algorithm) return { entry, coin: tagged, algorithm, viaTag: true };
  return undefined;
}

/**
 * A tag match stands in for a wrong or missing id in our coin list (several ids are assumed), so it is taken
 * only for a coin no entry matched by id, and only when a single id carries that tag: otherwise never guessed.
 */
function acceptTagMatches(
  byTag: readonly Match[],
  chosen: Map<string, Match>,
  notOurs: string[],
  warnings: string[],
): void {
  const groups = new Map<string, Match[]>();
  for (const m of byTag) groups.set(m.coin.key, [...(groups.get(m.coin.key) ?? []), m]);
  for (const [key, group] of groups) {
    const ids = [...new Set(group.map((m) => m.entry.row.id))];
    if (chosen.has(key)) {
      notOurs.push(...group.map((m) => label(m.entry)));
    } else if (ids.length > 1) {
      warnings.push(`tag ${key} is on several unknown ids (${ids.join(', ')}): none taken`);
    } else {
      const [first] = group as [Match];
      chosen.set(key, first);
      warnings.push(
        `${label(first.entry)} taken as ${key} by its tag and algorithm; set whattomineId ${ids[0]} for ${key}`,
      );
    }
  }
}

function observe(
  match: Match,
  btcUsd: number | undefined,
  options: WhattomineNormalizeOptions,
  warnings: string[],
): CoinObservation {
  const { row } = match.entry;
  const blockTimeS = row.block_time !== undefined && row.block_time > 0 ? row.block_time : undefined;
  const { priceUsd, volume24hUsd } = usdQuote(match, btcUsd, warnings);
  const observation: CoinObservation = {
    source: 'whattomine',
    coin: match.coin.key,
    observedAt: fromUnixSeconds(row.timestamp) ?? options.now,
    algorithm: match.algorithm,
    difficulty: row.difficulty,
    blockReward: row.block_reward,
  };
  if (blockTimeS !== undefined) observation.blockTimeS = blockTimeS;
  const networkHashrateHs = networkHashrate(row, match.algorithm, blockTimeS);
  if (networkHashrateHs !== undefined) observation.networkHashrateHs = networkHashrateHs;
  if (priceUsd !== undefined) observation.priceUsd = priceUsd;
  if (volume24hUsd !== undefined) observation.volume24hUsd = volume24hUsd;
  const estimate = sourceUsdPerHsDay(match, observation, options.referenceHashratesHs, warnings);
  if (estimate !== undefined) observation.usdPerHsDay = estimate;
  if (row.lagging !== undefined) observation.lagging = row.lagging;
  if (row.lagging) warnings.push(`${label(match.entry)}: WhatToMine flags its data as lagging`);
  return observation;
}

/** `nethash` when sent; the recorded asic.json lacks it, so then it follows from difficulty and block time. */
function networkHashrate(
  row: WhattomineCoin,
  algorithm: AlgorithmKey,
  blockTimeS: number | undefined,
): number | undefined {
  if (row.nethash !== undefined && row.nethash > 0) return row.nethash;
  if (blockTimeS === undefined || row.difficulty <= 0) return undefined;
  return hashrateFromDifficulty(algorithm, row.difficulty, blockTimeS);
}

/**
 * Bitcoin's entry quotes USD; every other entry quotes BTC and is converted at Bitcoin's rate. Bitcoin's
 * `exchange_rate_vol` is taken as USD as well: read as BTC it would exceed the coin's whole supply.
 */
function usdQuote(
  match: Match,
  btcUsd: number | undefined,
  warnings: string[],
): { priceUsd?: number; volume24hUsd?: number } {
  const { row } = match.entry;
  if (row.id === WHATTOMINE_BITCOIN_ID) {
    return row.exchange_rate > 0 ? { priceUsd: row.exchange_rate, volume24hUsd: row.exchange_rate_vol } : {};
  }
  if (row.exchange_rate_curr !== undefined && row.exchange_rate_curr !== 'BTC') {
    warnings.push(`${label(match.entry)}: exchange_rate in ${row.exchange_rate_curr}, not BTC: no price`);
    return {};
  }
  if (btcUsd === undefined || row.exchange_rate <= 0) return {};
  const volume24hUsd = row.exchange_rate_vol === undefined ? undefined : row.exchange_rate_vol * btcUsd;
  return { priceUsd: row.exchange_rate * btcUsd, volume24hUsd };
}

/** The source's own revenue estimate per H/s: `estimated_rewards` is coins per day at the reference hashrate. */
function sourceUsdPerHsDay(
  match: Match,
  observation: CoinObservation,
  referenceHashratesHs: Readonly<Partial<Record<AlgorithmKey, number>>>,
  warnings: string[],
): number | undefined {
  const rewards = match.entry.row.estimated_rewards;
  const referenceHs = referenceHashratesHs[match.algorithm];
  const { priceUsd, blockReward, blockTimeS, networkHashrateHs } = observation;
  if (rewards === undefined || !referenceHs || priceUsd === undefined) return undefined;
  const coinsPerHsDaySource = rewards / referenceHs;
  if (blockReward !== undefined && blockTimeS !== undefined && networkHashrateHs !== undefined) {
    const own = coinsPerHsDay(blockReward, blockTimeS, networkHashrateHs);
    const ratio = coinsPerHsDaySource / own;
    if (!(ratio > 1 / ESTIMATE_MAX_RATIO && ratio < ESTIMATE_MAX_RATIO)) {
      warnings.push(
        `${label(match.entry)}: estimated_rewards ${rewards} fits ${(rewards / own).toPrecision(4)} H/s, ` +
          `not the reference ${referenceHs} H/s: usdPerHsDay omitted`,
      );
      return undefined;
    }
  }
  return coinsPerHsDaySource * priceUsd;
}

function label(entry: WhattomineEntry): string {
  return `${entry.file} ${entry.name} (id ${entry.row.id}, ${entry.row.tag})`;
}
