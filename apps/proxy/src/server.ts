// Network listeners for a proxy (TCP or TLS per listener) and the optional worker processes (node:cluster) that
// let one proxy hold more miners than one process's file descriptors allow.

import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { StratumProxy } from './proxy.ts';

export interface ListeningAddress {
  listener: string;
  host: string;
  port: number;
}

export interface StratumServer {
  readonly addresses: readonly ListeningAddress[];
  /** Stops accepting; open connections are left to proxy.close(). */
  close(): Promise<void>;
}

/**
 * Listens on every listener of the proxy (port 0: an ephemeral port, see `addresses`). Errors after listening
 * (an accept that fails for want of file descriptors) go to `onError` and the server keeps serving.
 */
export async function listen(
  proxy: StratumProxy,
  onError: (e: Error) => void = () => {},
): Promise<StratumServer> {
  const servers: Server[] = [];
  const addresses: ListeningAddress[] = [];
  try {
    for (const config of proxy.listeners) {
      const onSocket = (socket: Socket) => {
        proxy.handle(socket, { listener: config.name, remoteAddress: socket.remoteAddress ?? 'unknown' });
      };
      // Set on each accepted socket by the server itself (no calls per connection of ours).
      const socketOptions = { noDelay: true, keepAlive: true, keepAliveInitialDelay: 60_000 };
      // A TLS connection reaches the proxy (and its timeouts and per-IP count) only once its handshake is done: one
      // that never finishes it is dropped after the listener's handshake timeout, not Node's default two minutes.
      const tlsOptions = { handshakeTimeout: Math.max(1, config.limits.handshakeTimeoutS) * 1000 };
      const server = config.tls
        ? createTlsServer(
            { ...socketOptions, ...tlsOptions, key: config.tls.key, cert: config.tls.cert },
            onSocket,
          )
        : createServer(socketOptions, onSocket);
      // A failed TLS handshake or a reset during accept concerns that client only.
      server.on('tlsClientError', (_e, socket) => socket.destroy());
      if (config.tls) capHandshakesPerIp(server, config.limits.maxConnectionsPerIp);
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      server.on('error', onError);
      const address = server.address() as { port: number; address: string };
      addresses.push({ listener: config.name, host: address.address, port: address.port });
    }
  } catch (e) {
    for (const s of servers) s.close();
    throw e;
  }
  return {
    addresses,
    async close() {
      await Promise.all(
        servers.map((s) =>
          s.listening ? new Promise<void>((resolve) => s.close(() => resolve())) : undefined,
        ),
      );
    },
  };
}

/**
 * A TLS connection reaches the proxy's per-IP count only once its handshake is done: until then (up to the
 * handshake timeout, and each handshake costs a key exchange) one address could hold any number. Here connections
 * still handshaking count per address, under the same limit; past it the address's next one is closed at once.
 */
function capHandshakesPerIp(server: Server, limit: number): void {
  if (limit <= 0) return;
  const perAddress = new Map<string, number>();
  /** Connections still handshaking, by address and port (the TLS socket has the same ones as its TCP socket). */
  const pending = new Map<string, string>();
  const done = (key: string) => {
    const address = pending.get(key);
    if (address === undefined) return;
    pending.delete(key);
    const n = (perAddress.get(address) ?? 1) - 1;
    if (n <= 0) perAddress.delete(address);
    else perAddress.set(address, n);
  };
  server.on('connection', (raw: Socket) => {
    const address = raw.remoteAddress ?? 'unknown';
    const n = perAddress.get(address) ?? 0;
    if (n >= limit) {
      raw.destroy();
      return;
    }
    const key = `${address}|${raw.remotePort}`;
    perAddress.set(address, n + 1);
    pending.set(key, address);
    raw.once('close', () => done(key));
  });
  server.on('secureConnection', (socket: Socket) => done(`${socket.remoteAddress}|${socket.remotePort}`));
}

export interface WorkerOptions {
  /** Processes serving the listeners (1: this process, no cluster). */
  workers: number;
  /** Builds and starts one whole proxy in this process: its own routes, upstreams and reports. */
  start: (worker: number) => Promise<unknown>;
  /** Restart a worker that dies after it started (default true). */
  restart?: boolean;
  /**
   * A worker that dies less than `stableMs` after it started waits before its restart: `minMs`, doubling with each
   * such death up to `maxMs`, so a crash on every start does not fork in a loop. One that ran longer restarts at once.
   */
  restartBackoff?: { minMs: number; maxMs: number; stableMs: number };
  /** In the primary: worker n died after it started (`code`) and starts again in `delayMs`. */
  onRestart?: (worker: number, code: number | null, delayMs: number) => void;
  /**
   * In the primary: worker n exited (`code`, null when killed by a signal) before its `start` resolved, so it is not
   * restarted — a bad port or config would fail the same way again.
   */
  onStartFailed?: (worker: number, code: number | null) => void;
}

export interface Workers {
  role: 'primary' | 'worker';
  /** This worker's number; -1 in the primary. */
  worker: number;
  /** In the primary: no more restarts, SIGTERM to every worker (each stops in order), resolves once all exited. */
  stop(): Promise<void>;
}

/** Sent by a worker once its `start` resolved. */
const READY = 'sm-proxy-worker-ready';

/**
 * Runs `start` in `workers` processes sharing the Stratum ports (node:cluster). The primary only supervises and
 * returns; each worker learns its number from SM_PROXY_WORKER (use it in the proxyId, e.g. `proxy/worker-1`).
 * A process holds at most `ulimit -n` sockets (20000 here): 20K miners need 2 workers.
 */
export async function runWorkers(options: WorkerOptions): Promise<Workers> {
  const none = async () => {};
  if (options.workers <= 1) {
    await options.start(0);
    return { role: 'worker', worker: 0, stop: none };
  }
  if (cluster.isPrimary) return supervise(options);
  const worker = Number(process.env.SM_PROXY_WORKER ?? 0);
  try {
    await options.start(worker);
  } catch (error) {
    // The channel to the primary would keep this process alive: let it exit once the failure is reported.
    cluster.worker?.disconnect();
    throw error;
  }
  process.send?.(READY);
  return { role: 'worker', worker, stop: none };
}

const RESTART_BACKOFF = { minMs: 1000, maxMs: 60_000, stableMs: 60_000 };

function supervise(options: WorkerOptions): Workers {
  const backoff = options.restartBackoff ?? RESTART_BACKOFF;
  const live = new Map<number, Worker>();
  /** Per worker: the delay before its last restart (0: none or after a stable run), and a restart waiting. */
  const delays = new Map<number, number>();
  const waiting = new Set<NodeJS.Timeout>();
  let stopping = false;
  const restart = (n: number, code: number | null, ranMs: number) => {
    const delay =
      ranMs >= backoff.stableMs
        ? 0
        : Math.min(backoff.maxMs, Math.max(backoff.minMs, 2 * (delays.get(n) ?? 0)));
    delays.set(n, delay);
    options.onRestart?.(n, code, delay);
    const timer = setTimeout(() => {
      waiting.delete(timer);
      if (!stopping) fork(n);
    }, delay);
    waiting.add(timer);
  };
  const fork = (n: number) => {
    const worker = cluster.fork({ SM_PROXY_WORKER: String(n) });
    const startedMs = Date.now();
    let ready = false;
    live.set(n, worker);
    worker.on('message', (message) => {
      if (message === READY) ready = true;
    });
    worker.on('exit', (code) => {
      live.delete(n);
      if (stopping) return;
      if (!ready && code !== 0) options.onStartFailed?.(n, code);
      else if (options.restart !== false && code !== 0) restart(n, code, Date.now() - startedMs);
    });
  };
  for (let n = 0; n < options.workers; n++) fork(n);
  let stopped: Promise<void> | undefined;
  return {
    role: 'primary',
    worker: -1,
    stop() {
      stopping = true;
      for (const timer of waiting) clearTimeout(timer);
      waiting.clear();
      stopped ??= Promise.all(
        [...live.values()].map((worker) => {
          const exited = once(worker, 'exit');
          worker.process.kill('SIGTERM');
          return exited;
        }),
      ).then(() => {});
      return stopped;
    },
  };
}
