// Opens a connection to a pool endpoint (TCP or TLS). Injectable, so tests can hand back an in-memory stream.

import { isIP, connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import type { PoolEndpoint } from '../ports.ts';

/** Returns a stream that may still be connecting: writes queue until it is open. */
export type Dialer = (endpoint: PoolEndpoint) => Duplex;

export interface NetDialerOptions {
  /** Verify pool certificates (default true); off only for pools with self-signed certificates. */
  tlsRejectUnauthorized?: boolean;
}

export function netDialer(options: NetDialerOptions = {}): Dialer {
  const rejectUnauthorized = options.tlsRejectUnauthorized ?? true;
  return (e) => {
    if (!e.tls) return netConnect({ host: e.host, port: e.port, noDelay: true, keepAlive: true });
    const socket = tlsConnect({
      host: e.host,
      port: e.port,
      rejectUnauthorized,
      ...(isIP(e.host) === 0 ? { servername: e.host } : {}),
    });
    socket.setNoDelay(true);
    return socket;
  };
}
