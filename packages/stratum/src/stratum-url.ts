// Stratum endpoint URLs (stratum.md §1): `stratum+tcp://host:port`, `stratum+ssl://` / `stratum+tls://` for TLS.

import { StratumError } from './errors.ts';

export interface StratumEndpoint {
  host: string;
  port: number;
  tls: boolean;
}

const SCHEMES: Record<string, boolean> = {
  'stratum+tcp:': false,
  'stratum+ssl:': true,
  'stratum+tls:': true,
};

/** Reads a V1 endpoint URL; a missing port, another scheme or a path is SM_STRATUM_BAD_URL. */
export function parseStratumUrl(url: string): StratumEndpoint {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StratumError('SM_STRATUM_BAD_URL', JSON.stringify(url));
  }
  const tls = SCHEMES[parsed.protocol.toLowerCase()];
  if (tls === undefined) throw new StratumError('SM_STRATUM_BAD_URL', `scheme ${parsed.protocol} in ${url}`);
  if (!parsed.hostname || !parsed.port)
    throw new StratumError('SM_STRATUM_BAD_URL', `host and port needed: ${url}`);
  if ((parsed.pathname !== '' && parsed.pathname !== '/') || parsed.search || parsed.username) {
    throw new StratumError('SM_STRATUM_BAD_URL', `only scheme, host and port: ${url}`);
  }
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  return { host, port: Number(parsed.port), tls };
}

export function formatStratumUrl(endpoint: StratumEndpoint): string {
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  return `${endpoint.tls ? 'stratum+ssl' : 'stratum+tcp'}://${host}:${endpoint.port}`;
}
