// Pools the operator declares (config `pools`): the pools no source lists (BTC, LTC, DOGE …), or the endpoints and
// fee of one a source found. Pure: parsing a Stratum URL, the dialect an algorithm speaks.

import type { AlgorithmKey } from './algorithms.ts';
import type { StratumEndpoint } from './observations.ts';
import type { StratumDialect } from './stratum-dialects.ts';

/** A declared pool, as the aggregator receives it from the config. */
export interface DeclaredPool {
  /** `<pool>:<COIN>`, e.g. `viabtc:LTC`. */
  poolKey: string;
  /** The part before the colon, lowercase. */
  pool: string;
  coin: string;
  algorithm: AlgorithmKey;
  feeFraction: number;
  endpoints: StratumEndpoint[];
  /**
   * The password the proxy logs in with on this pool (default `x`): pools that pay out in a coin of the miner's
   * choosing read it there (`c=LTC`), others a static difficulty (`d=…`).
   */
  password?: string;
  /**
   * How the proxy checks the certificate of this pool's `stratum+ssl://` endpoints: `caFile` (PEM: the pool's own
   * self-signed certificate or its private CA) trusted instead of the public CAs; `verify: false`, no check at all.
   */
  tls?: { caFile?: string; verify?: boolean };
}

/** The wire protocol a pool of this algorithm speaks; undefined where none of the enum fits (blake3). */
const DIALECT_BY_ALGORITHM: Record<AlgorithmKey, StratumDialect | undefined> = {
  sha256d: 'stratum-v1',
  scrypt: 'stratum-v1',
  x11: 'stratum-v1',
  etchash: 'ethereum-stratum',
  ethash: 'ethereum-stratum',
  kawpow: 'kawpow',
  autolykos2: 'ergo',
  kheavyhash: 'kaspa',
  randomx: 'cryptonote',
  equihash125_4: 'equihash',
  equihash144_5: 'equihash',
  equihash200_9: 'equihash',
  octopus: 'conflux',
  blake3: undefined,
};

export function dialectForAlgorithm(algorithm: AlgorithmKey): StratumDialect | undefined {
  return DIALECT_BY_ALGORITHM[algorithm];
}

/**
 * `stratum+tcp://host:port` (plain) or `stratum+ssl://host:port` (TLS; `stratum+tls` too) into an endpoint, or the
 * reason it is not one.
 */
export function parseStratumUrl(
  url: string,
  dialect: StratumDialect,
): { endpoint: StratumEndpoint } | { problem: string } {
  const match = /^stratum\+(tcp|ssl|tls):\/\/([^/:?#\s]+|\[[0-9a-fA-F:.]+\]):(\d{1,5})\/?$/.exec(url);
  if (!match) return { problem: `"${url}" is not stratum+tcp://host:port or stratum+ssl://host:port` };
  const [, scheme, host, portText] = match as unknown as [string, string, string, string];
  const port = Number(portText);
  if (port < 1 || port > 65_535) return { problem: `"${url}": port ${port} is not 1–65535` };
  return { endpoint: { host: host.replace(/^\[|\]$/g, ''), port, tls: scheme !== 'tcp', dialect } };
}
