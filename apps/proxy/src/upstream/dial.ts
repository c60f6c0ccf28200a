// Opens a connection to a pool endpoint (TCP or TLS). Injectable, so tests can hand back an in-memory stream.

import { isIP, connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import type { PoolEndpoint, PoolTls } from '../ports.ts';

/** Returns a stream that may still be connecting: writes queue until it is open. `tls`: the pool's own trust. */
export type Dialer = (endpoint: PoolEndpoint, tls?: PoolTls) => Duplex;

export interface NetDialerOptions {
  /** Verify pool certificates (default true) where the pool sets nothing of its own. */
  tlsRejectUnauthorized?: boolean;
}

export function netDialer(options: NetDialerOptions = {}): Dialer {
  const rejectUnauthorized = options.tlsRejectUnauthorized ?? true;
  return (e, tls) => {
    if (!e.tls) return netConnect({ host: e.host, port: e.port, noDelay: true, keepAlive: true });
    const socket = tlsConnect({
      host: e.host,
      port: e.port,
      rejectUnauthorized: tls?.verify ?? rejectUnauthorized,
      // Replaces the public CAs: a pool's self-signed certificate is then the only one it may present.
      ...(tls?.ca !== undefined ? { ca: tls.ca } : {}),
      ...(isIP(e.host) === 0 ? { servername: e.host } : {}),
    });
    socket.setNoDelay(true);
    return socket;
  };
}
