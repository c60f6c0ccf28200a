// The Stratum dialects a pool endpoint can speak (one enum for the domain, the db CHECK and the OpenAPI document).

/**
 * Each is one wire protocol of the Stratum family (stratum.md §0–§6): `stratum-v1` the Bitcoin family
 * (sha256d, scrypt, x11 …), `equihash` the Zcash-style variant (FLUX, ZEC, BTG), `ethereum-stratum`
 * NiceHash EthereumStratum/1.0.0, `ethproxy` eth_* over TCP, `kawpow`, `cryptonote` (xmrig login/job),
 * `kaspa`, `ergo` (Autolykos2) and `conflux` (Octopus).
 */
export const STRATUM_DIALECTS = [
  'stratum-v1',
  'equihash',
  'ethereum-stratum',
  'ethproxy',
  'kawpow',
  'cryptonote',
  'kaspa',
  'ergo',
  'conflux',
] as const;

export type StratumDialect = (typeof STRATUM_DIALECTS)[number];

export function isStratumDialect(value: unknown): value is StratumDialect {
  return (STRATUM_DIALECTS as readonly unknown[]).includes(value);
}
