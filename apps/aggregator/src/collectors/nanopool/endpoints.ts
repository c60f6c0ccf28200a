// Configuration data: Nanopool's public stratum endpoints per coin, which its API does not expose.

import type { StratumEndpoint } from '@smart-mining/domain';

type Dialect = StratumEndpoint['dialect'];

const eu = (host: string, port: number, tls: boolean, dialect: Dialect): StratumEndpoint => ({
  host,
  port,
  tls,
  dialect,
  region: 'eu',
});

/**
 * EU1 hosts only; Nanopool also runs eu2, us-east1, us-west1 and asia1 hosts with the same ports.
 * Taken from Nanopool's help pages as quoted in public miner configs, not from an API: check nanopool.org
 * before relying on a port. ETC/XMR/RVN use the 10x00 scheme of 2023; ERG and ZEC keep their long-published
 * ports. CFX is left out: its port is not confirmed.
 */
const NANOPOOL_ENDPOINTS: Readonly<Record<string, readonly StratumEndpoint[]>> = {
  ETC: [
    eu('etc-eu1.nanopool.org', 10100, false, 'ethereum-stratum'),
    eu('etc-eu1.nanopool.org', 10200, true, 'ethereum-stratum'),
  ],
  RVN: [
    eu('rvn-eu1.nanopool.org', 10400, false, 'kawpow'),
    eu('rvn-eu1.nanopool.org', 10443, true, 'kawpow'),
  ],
  XMR: [
    eu('xmr-eu1.nanopool.org', 10300, false, 'cryptonote'),
    eu('xmr-eu1.nanopool.org', 10343, true, 'cryptonote'),
  ],
  ERG: [eu('ergo-eu1.nanopool.org', 11111, false, 'ergo'), eu('ergo-eu1.nanopool.org', 11433, true, 'ergo')],
  ZEC: [
    eu('zec-eu1.nanopool.org', 6666, false, 'equihash'),
    eu('zec-eu1.nanopool.org', 6633, true, 'equihash'),
  ],
};

/** Copies, so a consumer editing an observation cannot change the table; undefined for coins not listed. */
export function nanopoolEndpoints(coin: string): StratumEndpoint[] | undefined {
  return NANOPOOL_ENDPOINTS[coin.toUpperCase()]?.map((endpoint) => ({ ...endpoint }));
}
