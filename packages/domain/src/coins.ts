// Coin identities: our uppercase ticker and the id each source uses for it.

import type { AlgorithmKey } from './algorithms.ts';

export interface CoinIdentity {
  key: string;
  name: string;
  algorithm: AlgorithmKey;
  /** Protocol target block time, used when no source reports an average. */
  blockTimeS: number;
  coingeckoId?: string;
  binanceSymbol?: string;
  whattomineId?: number;
  /** Coins per block is quoted by 2Miners in this many smallest units per coin. */
  smallestUnitsPerCoin?: number;
  /** Nanopool's path hashrate unit for approximated_earnings, in H/s. */
  nanopoolHashrateUnitHs?: number;
}

export const COINS: readonly CoinIdentity[] = [
  {
    key: 'BTC',
    blockTimeS: 600,
    name: 'Bitcoin',
    algorithm: 'sha256d',
    coingeckoId: 'bitcoin',
    binanceSymbol: 'BTCUSDT',
    whattomineId: 1,
    smallestUnitsPerCoin: 1e8,
  },
  {
    key: 'LTC',
    blockTimeS: 150,
    name: 'Litecoin',
    algorithm: 'scrypt',
    coingeckoId: 'litecoin',
    binanceSymbol: 'LTCUSDT',
    whattomineId: 4,
    smallestUnitsPerCoin: 1e8,
  },
  {
    key: 'DOGE',
    blockTimeS: 60,
    name: 'Dogecoin',
    algorithm: 'scrypt',
    coingeckoId: 'dogecoin',
    binanceSymbol: 'DOGEUSDT',
    whattomineId: 6,
    smallestUnitsPerCoin: 1e8,
  },
  {
    key: 'ETC',
    blockTimeS: 13,
    name: 'Ethereum Classic',
    algorithm: 'etchash',
    coingeckoId: 'ethereum-classic',
    binanceSymbol: 'ETCUSDT',
    whattomineId: 162,
    smallestUnitsPerCoin: 1e18,
    nanopoolHashrateUnitHs: 1e6,
  },
  {
    key: 'RVN',
    blockTimeS: 60,
    name: 'Ravencoin',
    algorithm: 'kawpow',
    coingeckoId: 'ravencoin',
    binanceSymbol: 'RVNUSDT',
    whattomineId: 234,
    smallestUnitsPerCoin: 1e8,
    nanopoolHashrateUnitHs: 1e6,
  },
  {
    key: 'KAS',
    blockTimeS: 1,
    name: 'Kaspa',
    algorithm: 'kheavyhash',
    coingeckoId: 'kaspa',
    binanceSymbol: 'KASUSDT',
    whattomineId: 352,
    smallestUnitsPerCoin: 1e8,
  },
  {
    key: 'ERG',
    blockTimeS: 120,
    name: 'Ergo',
    algorithm: 'autolykos2',
    coingeckoId: 'ergo',
    whattomineId: 340,
    smallestUnitsPerCoin: 1e9,
    nanopoolHashrateUnitHs: 1e6,
  },
  {
    key: 'XMR',
    blockTimeS: 120,
    name: 'Monero',
    algorithm: 'randomx',
    coingeckoId: 'monero',
    whattomineId: 101,
    smallestUnitsPerCoin: 1e12,
    nanopoolHashrateUnitHs: 1,
  },
  {
    key: 'ZEC',
    blockTimeS: 75,
    name: 'Zcash',
    algorithm: 'equihash200_9',
    coingeckoId: 'zcash',
    binanceSymbol: 'ZECUSDT',
    smallestUnitsPerCoin: 1e8,
    nanopoolHashrateUnitHs: 1,
  },
  {
    key: 'FLUX',
    blockTimeS: 120,
    name: 'Flux',
    algorithm: 'equihash125_4',
    coingeckoId: 'zelcash',
    binanceSymbol: 'FLUXUSDT',
    smallestUnitsPerCoin: 1e8,
  },
  {
    key: 'CFX',
    blockTimeS: 0.5,
    name: 'Conflux',
    algorithm: 'octopus',
    coingeckoId: 'conflux-token',
    binanceSymbol: 'CFXUSDT',
    smallestUnitsPerCoin: 1e18,
    nanopoolHashrateUnitHs: 1e6,
  },
  {
    key: 'BCH',
    blockTimeS: 600,
    name: 'Bitcoin Cash',
    algorithm: 'sha256d',
    coingeckoId: 'bitcoin-cash',
    binanceSymbol: 'BCHUSDT',
    whattomineId: 193,
    smallestUnitsPerCoin: 1e8,
  },
];

const BY_KEY = new Map(COINS.map((c) => [c.key, c]));
const BY_COINGECKO = new Map(COINS.filter((c) => c.coingeckoId).map((c) => [c.coingeckoId!, c]));
const BY_BINANCE = new Map(COINS.filter((c) => c.binanceSymbol).map((c) => [c.binanceSymbol!, c]));
const BY_WHATTOMINE = new Map(COINS.filter((c) => c.whattomineId).map((c) => [c.whattomineId!, c]));

export function coinByKey(key: string): CoinIdentity | undefined {
  return BY_KEY.get(key.toUpperCase());
}
export function coinByCoingeckoId(id: string): CoinIdentity | undefined {
  return BY_COINGECKO.get(id);
}
export function coinByBinanceSymbol(symbol: string): CoinIdentity | undefined {
  return BY_BINANCE.get(symbol);
}
export function coinByWhattomineId(id: number): CoinIdentity | undefined {
  return BY_WHATTOMINE.get(id);
}
