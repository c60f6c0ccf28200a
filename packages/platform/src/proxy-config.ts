// The `proxy` section of the configuration: Stratum listeners, accounts, the API it follows, its status port.
// Every listener option maps onto the proxy's listenerConfig(); the ranges it checks are checked here too, so a
// mistake is named by its config path before anything starts.

import { z } from 'zod';

/** More processes than this is a typo rather than a core count. */
export const MAX_WORKERS = 64;
/** The API's longest name (api-contract's `name`): a proxy id in reports must fit it. */
const API_NAME_MAX = 200;

const port = z.number().int().min(0).max(65535);
const coin = z.string().regex(/^[A-Z0-9]+$/, 'must be an uppercase ticker, e.g. LTC');

const listenerLimits = z
  .object({
    maxConnectionsPerIp: z.number().int().min(0),
    messagesPerS: z.number().positive(),
    messageBurst: z.number().positive(),
    maxLineBytes: z.number().int().min(1024),
    badLinesBeforeClose: z.number().int().min(0),
    handshakeTimeoutS: z.number().positive(),
    idleTimeoutS: z.number().positive(),
    partialLineTimeoutS: z.number().positive(),
    maxWriteBufferBytes: z.number().int().positive(),
  })
  .partial()
  .strict();

export const proxyListenerSchema = z
  .object({
    /** Unique per proxy; default `<algorithm>-<port>`. */
    name: z.string().min(1).optional(),
    /** Default: `proxy.stratumPort` + the listener's position (3333, 3334, …). */
    port: port.optional(),
    host: z.string().min(1).default('0.0.0.0'),
    algorithm: z.enum(['sha256d', 'scrypt']),
    /** `shared`: miners share upstream connections (extranonce fold); `per-miner`: one upstream each. */
    upstreamMode: z.enum(['shared', 'per-miner']).default('shared'),
    /** Shared mode: keep the runner-up target's pool connections open (default on; per-miner: off, refused). */
    standby: z.boolean().optional(),
    /**
     * Bytes of each miner's extranonce1 (default 1: 256 miners per pool connection; 2: 65,536). A pool fits when its
     * extranonce2_size ≥ prefixBytes + extranonce2Size.
     */
    prefixBytes: z.number().int().min(1).max(3).optional(),
    /** The extranonce2_size miners are given (default 3). */
    extranonce2Size: z.number().int().min(2).max(16).optional(),
    /** Stratum over TLS: PEM files read at start. */
    tls: z
      .object({ keyFile: z.string().min(1), certFile: z.string().min(1) })
      .strict()
      .optional(),
    /** A declared pool (`pools[].key`) mined while a route has never had a decision. */
    fallbackPool: z.string().min(1).optional(),
    /** Profile of miners whose password names none. */
    defaultProfile: z.string().min(1).default('max-usd-coin'),
    /** Address sent in client.reconnect (default: the one the miner connected to). */
    reconnectHost: z.string().min(1).optional(),
    reconnectPort: z.number().int().min(1).max(65535).optional(),
    /** The difficulty kept for miners that state none: one share per targetShareS (0: off), not under minDifficulty. */
    vardiff: z
      .object({
        targetShareS: z.number().min(0).max(3600).optional(),
        minDifficulty: z.number().positive().optional(),
      })
      .strict()
      .optional(),
    limits: listenerLimits.optional(),
  })
  .strict()
  .superRefine((listener, ctx) => {
    // The proxy refuses it too, but named by its listener; here it is named by its path, with the others.
    if (listener.standby === true && listener.upstreamMode === 'per-miner') {
      ctx.addIssue({
        code: 'custom',
        path: ['standby'],
        message:
          'per-miner mode keeps no standby (it would double every miner’s pool connections): remove it',
      });
    }
  });

export const proxyConfigSchema = z
  .object({
    /** Names this proxy in its reports (several proxies report to one API). */
    id: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[^\s]+$/, 'must not contain spaces')
      .default('proxy'),
    /** First listener port; listeners without a `port` take the next ones. */
    stratumPort: port.default(3333),
    listeners: z
      .array(proxyListenerSchema)
      .min(1)
      .prefault([{ algorithm: 'sha256d' }, { algorithm: 'scrypt' }]),
    /** Account name → coin → wallet: miners log in as `ACCOUNT.WORKER`. */
    accounts: z
      .record(
        z.string().regex(/^[^.\s]+$/, 'must not contain dots or spaces'),
        z.record(coin, z.string().min(1)),
      )
      .default({}),
    /** Coins a miner logging in with a bare wallet (`WALLET.WORKER`) may mine; empty: refused. */
    bareWalletCoins: z.array(coin).default([]),
    /** API base URLs, tried in order (default: this configuration's API address). */
    apiUrls: z
      .array(z.url({ protocol: /^https?$/ }))
      .min(1)
      .optional(),
    /** The status server (/metrics, /summary, /miners); null: none. */
    statusHost: z.string().min(1).default('127.0.0.1'),
    statusPort: port.nullable().default(9333),
    /** Per API request attempt (each URL). */
    apiTimeoutMs: z.number().int().positive().default(5000),
    /** A route asks for a decision at least this often, events or not. */
    decisionIntervalS: z.number().positive().default(60),
    /** Miner reports go to the API this often. */
    reportIntervalS: z.number().positive().default(60),
    /** On SIGTERM: how long miners get to leave after client.reconnect before their connections are closed. */
    drainS: z.number().min(0).default(2),
    /**
     * Processes of `smart-mining proxy` sharing the Stratum ports (node:cluster): one process holds at most
     * `ulimit -n` sockets and uses one core. Worker n reports as `<id>/worker-<n>` and serves its status on
     * `statusPort` + n. `smart-mining start` keeps one.
     */
    workers: z.number().int().min(1).max(MAX_WORKERS).default(1),
  })
  .strict()
  .superRefine((proxy, ctx) => {
    // The workers' suffix must fit the API's name limit too.
    if (proxy.workers > 1 && workerProxyId(proxy.id, proxy.workers - 1).length > API_NAME_MAX) {
      ctx.addIssue({
        code: 'custom',
        path: ['id'],
        message: `with ${proxy.workers} workers, must be at most ${API_NAME_MAX - `/worker-${proxy.workers - 1}`.length} characters`,
      });
    }
    // Worker n serves its status on statusPort + n (null: none; 0: each its own free port).
    const first = proxy.statusPort;
    const last = first ? first + proxy.workers - 1 : 0;
    if (last > 65535) {
      ctx.addIssue({
        code: 'custom',
        path: ['statusPort'],
        message: `with ${proxy.workers} workers (status ports ${first}…${last}), must be at most ${65536 - proxy.workers}`,
      });
    }
  })
  .prefault({});

/** Names worker n of a proxy in its reports, so the API tells the workers apart. */
export function workerProxyId(id: string, worker: number): string {
  return `${id}/worker-${worker}`;
}

export type ProxyConfig = z.infer<typeof proxyConfigSchema>;
export type ProxyListenerConfig = z.infer<typeof proxyListenerSchema>;
