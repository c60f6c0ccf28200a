// What the stored market must be, computed straight from the fixtures the replay server serves — by the units
// and formulas of the fixtures README and the rules of DESIGN.md, never by the product's own functions.

import type { Fixtures } from '@smart-mining/testkit';
import { COINS, type Field, gatherQuotes, get, type HashratenoAnswer, type Quote } from './market-quotes.ts';

export type { HashratenoAnswer } from './market-quotes.ts';

/** The configuration defaults the aggregator runs with (README: Configuration). */
export const RULES = {
  priceStaleS: 900,
  networkStaleS: 1800,
  poolStaleS: 1800,
  maxQuoteLagS: 600,
  priceDeviation: 0.05,
  networkDeviation: 0.1,
  minVolumeUsd: 10_000,
  heartbeatS: 600,
  feeFraction: 0.01,
  usdPerKwh: 0.1,
};

const ALGORITHM: Record<string, string> = {
  BTC: 'sha256d',
  LTC: 'scrypt',
  DOGE: 'scrypt',
  ETC: 'etchash',
  RVN: 'kawpow',
  KAS: 'kheavyhash',
  ERG: 'autolykos2',
  XMR: 'randomx',
};
/** Minerstat's and Hashrate.no's algorithm names for the algorithms above. */
const DEVICE_ALGORITHM: Record<string, string> = {
  Ethash: 'ethash',
  Etchash: 'etchash',
  KawPow: 'kawpow',
  Autolykos: 'autolykos2',
  RandomX: 'randomx',
  'SHA-256': 'sha256d',
  Scrypt: 'scrypt',
  KHeavyHash: 'kheavyhash',
};

export interface ExpectedCoin {
  coin: string;
  priceUsd: number | null;
  volume24hUsd: number | null;
  difficulty: number | null;
  networkHashrateHs: number | null;
  blockReward: number | null;
  blockTimeS: number | null;
  usdPerHsDay: number | null;
  trusted: boolean;
  stale: boolean;
}
export interface ExpectedPool {
  poolKey: string;
  feeFraction: number;
  hashrateHs: number;
  miners: number;
  workers: number;
  usdPerHsDay: number | null;
  stale: boolean;
}
export interface ExpectedMining {
  key: string;
  hashrateHs: number;
  powerW: number | null;
  bestCoin: string | null;
  bestPool: string | null;
  revenueUsdPerDay: number | null;
  costUsdPerDay: number | null;
  profitUsdPerDay: number | null;
}
export interface ExpectedMarket {
  coins: ExpectedCoin[];
  pools: ExpectedPool[];
  mining: ExpectedMining[];
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** DESIGN.md: too old → unused; a cycle behind the freshest → unused; median of the agreeing majority. */
function agree(quotes: Quote[], nowMs: number, maxAgeS: number, deviation: number, minVolume?: number) {
  const current = quotes.filter((q) => nowMs - q.atMs <= maxAgeS * 1000);
  if (current.length === 0) return undefined;
  const newest = Math.max(...current.map((q) => q.atMs));
  const timely = current.filter((q) => newest - q.atMs <= RULES.maxQuoteLagS * 1000);
  const deep = timely.filter(
    (q) => minVolume === undefined || q.volume === undefined || q.volume >= minVolume,
  );
  const voters = deep.length > 0 ? deep : timely;
  const m = median(voters.map((q) => q.value));
  const agreeing = voters.filter((q) => Math.abs(q.value - m) / m <= deviation);
  if (agreeing.length * 2 <= voters.length)
    throw new Error('the scenario has a contested value: extend the model');
  const liquid = minVolume === undefined || agreeing.some((q) => (q.volume ?? -1) >= minVolume);
  return {
    value: median(agreeing.map((q) => q.value)),
    trusted: deep.length > 0 && liquid,
    atMs: Math.max(...agreeing.map((q) => q.atMs)),
  };
}

function expectedCoins(fx: Fixtures, nowMs: number, hashrateno: HashratenoAnswer): ExpectedCoin[] {
  const quotes = gatherQuotes(fx, nowMs, hashrateno);
  return [...quotes.keys()].sort().map((coin) => {
    const q = quotes.get(coin)!;
    const price = agree(q.price, nowMs, RULES.priceStaleS, RULES.priceDeviation, RULES.minVolumeUsd);
    const net = (f: Field) => agree(q[f], nowMs, RULES.networkStaleS, RULES.networkDeviation);
    const network = {
      difficulty: net('difficulty'),
      nethash: net('nethash'),
      reward: net('blockReward'),
      time: net('blockTime'),
    };
    const factor = COINS[coin]!.times2pow32 ? 2 ** 32 : 1;
    const blockTimeS = network.time?.value ?? COINS[coin]!.blockTimeS;
    const difficulty = network.difficulty?.value;
    const nethash =
      network.nethash?.value ?? (difficulty !== undefined ? (difficulty * factor) / blockTimeS : undefined);
    const reward = network.reward?.value;
    // Fixtures README, cross-check: coins/day = h × 86400 × block_reward / (difficulty × factor); USD = × price.
    const usd =
      price && reward !== undefined && difficulty !== undefined
        ? (86_400 * reward * price.value) / (difficulty * factor)
        : undefined;
    const volumes = [...q.price].filter(
      (x) => x.volume !== undefined && nowMs - x.atMs <= RULES.priceStaleS * 1000,
    );
    const networkAt = Object.values(network).flatMap((c) => (c ? [c.atMs] : []));
    const stale =
      !price ||
      nowMs - price.atMs > RULES.priceStaleS * 1000 ||
      networkAt.length === 0 ||
      nowMs - Math.max(...networkAt) > RULES.networkStaleS * 1000;
    return {
      coin,
      priceUsd: price?.value ?? null,
      volume24hUsd: volumes.length > 0 ? Math.max(...volumes.map((x) => x.volume!)) : null,
      difficulty: difficulty ?? null,
      networkHashrateHs: nethash ?? null,
      blockReward: reward ?? null,
      blockTimeS,
      usdPerHsDay: usd ?? null,
      trusted: !!price?.trusted && Object.values(network).every((c) => !c || c.trusted) && usd !== undefined,
      stale,
    };
  });
}

function expectedPools(fx: Fixtures, nowMs: number, coins: ExpectedCoin[]): ExpectedPool[] {
  const usd = (coin: string) => {
    const v = coins.find((c) => c.coin === coin)?.usdPerHsDay;
    return v == null ? null : v * (1 - RULES.feeFraction);
  };
  const twoMiners = ['etc', 'rvn'].map((coin) => {
    const s = get<Record<string, number>>(fx, `2miners/stats_${coin}.json`);
    return {
      poolKey: `2miners:${coin.toUpperCase()}`,
      feeFraction: RULES.feeFraction,
      hashrateHs: s.hashrate!,
      miners: s.minersTotal!,
      workers: s.workersTotal!,
      usdPerHsDay: usd(coin.toUpperCase()),
      stale: nowMs - s.now! > RULES.poolStaleS * 1000,
    };
  });
  const data = (name: string) => get<{ data: number }>(fx, `nanopool/${name}_etc.json`).data;
  const nanopool = {
    poolKey: 'nanopool:ETC',
    feeFraction: RULES.feeFraction,
    hashrateHs: data('pool_hashrate') * 1e6, // MH/s display unit for ETC (README §5)
    miners: data('pool_activeminers'),
    workers: data('pool_activeworkers'),
    usdPerHsDay: usd('ETC'),
    stale: false,
  };
  return [...twoMiners, nanopool].sort((a, b) => a.poolKey.localeCompare(b.poolKey));
}

function expectedMining(
  fx: Fixtures,
  hashrateno: HashratenoAnswer,
  coins: ExpectedCoin[],
  pools: ExpectedPool[],
) {
  const figures = new Map<string, { hashrates: number[]; powers: number[] }>();
  const add = (device: string, algorithm: string, hashrate: number, power: number | undefined) => {
    const key = `${device} ${algorithm}`;
    const f = figures.get(key) ?? { hashrates: [], powers: [] };
    f.hashrates.push(hashrate);
    if (power) f.powers.push(power);
    figures.set(key, f);
  };
  type Device = { url: string; algorithms: Record<string, { hashrate: number; power?: number }> };
  for (const d of get<Device[]>(fx, 'minerstat/hardware.json'))
    for (const [name, a] of Object.entries(d.algorithms))
      add(d.url, DEVICE_ALGORITHM[name]!, a.hashrate, a.power);
  for (const b of Object.values(hashrateno.benchmarks))
    add(
      `${b.brandID}-${b.name.toLowerCase().replace(/\s+/g, '-')}`,
      'kawpow',
      Number(b.hashrate),
      Number(b.power),
    );

  // The best target per algorithm: a fresh minable pool of a trusted fresh coin, or such a coin no pool lists.
  type Target = { coin: string; pool: string | null; fee: number; gross: number };
  const targets = coins.flatMap((c): Target[] => {
    if (!c.trusted || c.stale || c.usdPerHsDay === null) return [];
    const own = pools.filter((p) => p.poolKey.endsWith(`:${c.coin}`));
    const gross = c.usdPerHsDay;
    if (own.length === 0) return [{ coin: c.coin, pool: null, fee: 0, gross }];
    return own
      .filter((p) => !p.stale)
      .map((p) => ({ coin: c.coin, pool: p.poolKey, fee: p.feeFraction, gross }));
  });
  const net = (t: Target) => t.gross * (1 - t.fee);
  return [...figures.entries()].sort().map(([key, f]): ExpectedMining => {
    const algorithm = key.split(' ')[1]!;
    const best = targets
      .filter((t) => ALGORITHM[t.coin] === algorithm)
      .sort((a, b) => net(b) - net(a) || (a.pool ?? a.coin).localeCompare(b.pool ?? b.coin))[0];
    const hashrateHs = median(f.hashrates);
    const powerW = f.powers.length > 0 ? median(f.powers) : null;
    const revenue = best ? hashrateHs * net(best) : null;
    const cost = best ? (((powerW ?? 0) * 24) / 1000) * RULES.usdPerKwh : null;
    return {
      key,
      hashrateHs,
      powerW,
      bestCoin: best?.coin ?? null,
      bestPool: best?.pool ?? null,
      revenueUsdPerDay: revenue,
      costUsdPerDay: cost,
      profitUsdPerDay: revenue !== null && cost !== null ? revenue - cost : null,
    };
  });
}

/** The market the aggregator must store after a cycle at `nowMs` over these fixtures. */
export function expectedMarket(fx: Fixtures, nowMs: number, hashrateno: HashratenoAnswer): ExpectedMarket {
  const coins = expectedCoins(fx, nowMs, hashrateno);
  const pools = expectedPools(fx, nowMs, coins);
  return { coins, pools, mining: expectedMining(fx, hashrateno, coins, pools) };
}

/** The values a history row holds, to tell whether a cycle changed them. */
export function historyValues(row: ExpectedCoin | ExpectedPool): string {
  if ('coin' in row) {
    const { coin: _, stale: _s, ...values } = row;
    return JSON.stringify(values);
  }
  const { poolKey: _, stale: _s, ...values } = row;
  return JSON.stringify(values);
}
