// Configuration data: 2Miners' public PPLNS stratum endpoints per coin, which its API does not expose.

import type { StratumEndpoint } from '@smart-mining/domain';

type Dialect = StratumEndpoint['dialect'];

/** The plain port and its TLS twin (2Miners' TLS port is the plain one with a leading 1). */
const pair = (coin: string, port: number, tlsPort: number, dialect: Dialect): StratumEndpoint[] => [
  { host: `${coin}.2miners.com`, port, tls: false, dialect, region: 'eu' },
  { host: `${coin}.2miners.com`, port: tlsPort, tls: true, dialect, region: 'eu' },
];

/**
 * The default (EU) hosts; `us-{coin}` and `asia-{coin}` hosts use the same ports. SOLO pools
 * (`solo-{coin}.2miners.com`) are left out. Taken from 2Miners' help pages as quoted in public miner configs,
 * not from an API: check 2miners.com before relying on a port. CFX is left out: not confirmed on 2Miners.
 */
const TWOMINERS_ENDPOINTS: Readonly<Record<string, readonly StratumEndpoint[]>> = {
  ETC: pair('etc', 1010, 11010, 'ethereum-stratum'),
  RVN: pair('rvn', 6060, 16060, 'kawpow'),
  KAS: pair('kas', 2020, 12020, 'kaspa'),
  ERG: pair('erg', 8888, 18888, 'ergo'),
  XMR: pair('xmr', 2222, 12222, 'cryptonote'),
  ZEC: pair('zec', 1010, 11010, 'equihash'),
  FLUX: pair('flux', 9090, 19090, 'equihash'),
};

/** Copies, so a consumer editing an observation cannot change the table; undefined for coins not listed. */
export function twoMinersEndpoints(coin: string): StratumEndpoint[] | undefined {
  return TWOMINERS_ENDPOINTS[coin.toUpperCase()]?.map((endpoint) => ({ ...endpoint }));
}
