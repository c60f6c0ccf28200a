// Typed listener and timing options with their defaults and range checks (the config file maps onto these).

import { hashesPerShare, isStratumAlgorithm } from '@smart-mining/stratum';
import { ProxyError } from './errors.ts';

/** Hostile-input limits of one listener (PROXY.md §Hostile input). */
export interface ListenerLimits {
  /** Open connections per remote address; 0: no limit. A farm behind one NAT address needs a high value. */
  maxConnectionsPerIp: number;
  /** Token bucket per connection: sustained messages per second and burst. */
  messagesPerS: number;
  messageBurst: number;
  /** Downstream line cap (stratum.md §1: about 16 KiB). */
  maxLineBytes: number;
  /** Malformed lines in a row before the connection is closed (each one is answered with error 20). */
  badLinesBeforeClose: number;
  /** No successful authorize within this time: closed. */
  handshakeTimeoutS: number;
  /** No complete line for this long: closed (a slow miner may submit nothing for minutes). */
  idleTimeoutS: number;
  /** A partial line pending this long (slow-loris): closed. */
  partialLineTimeoutS: number;
  /** Bytes queued for a miner that does not read; beyond this it is dropped, never buffered without end. */
  maxWriteBufferBytes: number;
}

/** The difficulty kept for each miner that states none (vardiff.ts). */
export interface VardiffConfig {
  /** One share about this often per miner; 0: off (every such miner mines at the pool's difficulty). */
  targetShareS: number;
  /** The least difficulty it gives (default: a share of 2^20 hashes in the algorithm's units). */
  minDifficulty: number;
}

export interface ListenerConfig {
  /** Unique per proxy; routes and upstreams are kept per listener. */
  name: string;
  port: number;
  host: string;
  dialect: 'stratum-v1';
  algorithm: 'sha256d' | 'scrypt';
  tls: { key: string; cert: string } | undefined;
  /** `shared`: one upstream per (pool, account, lane) for up to 2^(8·prefixBytes) miners; `per-miner`: one each. */
  upstreamMode: 'shared' | 'per-miner';
  /**
   * Shared mode: keep the pool connections of each route's runner-up target (the decision's next ranked one) open,
   * so a switch or failover there moves miners at once instead of after a connect and handshake.
   */
  standby: boolean;
  /** k: the miner's extranonce1 (its slot X) in bytes. */
  prefixBytes: number;
  /** n2': the extranonce2_size miners are given. A pool fits when its extranonce2_size ≥ k + n2'. */
  extranonce2Size: number;
  /** Version-rolling mask asked of pools and offered to miners (BIP 320 bits); 0: no version rolling. */
  versionMask: number;
  /** Declared pool mined while a route has never had a decision. */
  fallbackPool: string | undefined;
  /** Profile of miners whose password names none. */
  defaultProfile: string;
  /** Upstream worker name in shared mode (`WALLET.<laneWorkerName>`). */
  laneWorkerName: string;
  /** Address sent in client.reconnect; default: the address the miner connected to. */
  reconnectHost: string | undefined;
  reconnectPort: number | undefined;
  vardiff: VardiffConfig;
  limits: ListenerLimits;
}

export type ListenerInput = Partial<Omit<ListenerConfig, 'limits' | 'vardiff'>> &
  Pick<ListenerConfig, 'algorithm'> & { limits?: Partial<ListenerLimits>; vardiff?: Partial<VardiffConfig> };

/** A share of 2^20 hashes: below, a miner's lines would cost the proxy more than its hashing is worth. */
const VARDIFF_MIN_HASHES = 2 ** 20;

export const DEFAULT_LIMITS: ListenerLimits = {
  maxConnectionsPerIp: 2000,
  messagesPerS: 100,
  messageBurst: 200,
  maxLineBytes: 16 * 1024,
  badLinesBeforeClose: 5,
  handshakeTimeoutS: 30,
  idleTimeoutS: 600,
  partialLineTimeoutS: 30,
  maxWriteBufferBytes: 256 * 1024,
};

function check(ok: boolean, detail: string): void {
  if (!ok) throw new ProxyError('SM_PROXY_BAD_CONFIG', detail);
}

const isInt = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;

/** Fills defaults and checks ranges; throws SM_PROXY_BAD_CONFIG naming the field. */
export function listenerConfig(input: ListenerInput): ListenerConfig {
  const c: ListenerConfig = {
    name: input.name ?? `${input.algorithm}-${input.port ?? 3333}`,
    port: input.port ?? 3333,
    host: input.host ?? '0.0.0.0',
    dialect: input.dialect ?? 'stratum-v1',
    algorithm: input.algorithm,
    tls: input.tls,
    upstreamMode: input.upstreamMode ?? 'shared',
    standby: input.standby ?? (input.upstreamMode ?? 'shared') === 'shared',
    prefixBytes: input.prefixBytes ?? 1,
    extranonce2Size: input.extranonce2Size ?? 3,
    versionMask: input.versionMask ?? (input.algorithm === 'sha256d' ? 0x1fffe000 : 0),
    fallbackPool: input.fallbackPool,
    defaultProfile: input.defaultProfile ?? 'max-usd-coin',
    laneWorkerName: input.laneWorkerName ?? 'proxy',
    reconnectHost: input.reconnectHost,
    reconnectPort: input.reconnectPort,
    vardiff: {
      targetShareS: input.vardiff?.targetShareS ?? 15,
      minDifficulty:
        input.vardiff?.minDifficulty ??
        (isStratumAlgorithm(input.algorithm) ? VARDIFF_MIN_HASHES / hashesPerShare(input.algorithm, 1) : 1),
    },
    limits: { ...DEFAULT_LIMITS, ...input.limits },
  };
  const n = `listener ${c.name}`;
  check(isStratumAlgorithm(c.algorithm), `${n}: algorithm ${c.algorithm} (sha256d or scrypt)`);
  check(c.dialect === 'stratum-v1', `${n}: dialect ${c.dialect} (stratum-v1)`);
  check(isInt(c.port, 0, 65535), `${n}: port ${c.port}`);
  check(c.upstreamMode === 'shared' || c.upstreamMode === 'per-miner', `${n}: upstreamMode`);
  // Per miner, a standby would double every miner's pool connections.
  check(!c.standby || c.upstreamMode === 'shared', `${n}: standby needs upstreamMode shared`);
  check(isInt(c.prefixBytes, 1, 3), `${n}: prefixBytes ${c.prefixBytes} (1..3)`);
  // cpuminer-opt takes 2..16 in set_extranonce; cpuminer refuses 0 (stratum.md §2.1).
  check(isInt(c.extranonce2Size, 2, 16), `${n}: extranonce2Size ${c.extranonce2Size} (2..16)`);
  check(isInt(c.versionMask, 0, 0xffffffff), `${n}: versionMask`);
  check(c.laneWorkerName.length > 0, `${n}: laneWorkerName is empty`);
  for (const [key, value] of Object.entries(c.limits)) {
    check(Number.isFinite(value) && value >= 0, `${n}: limits.${key} ${value}`);
  }
  check(c.limits.maxLineBytes >= 1024, `${n}: limits.maxLineBytes below 1024`);
  check(
    Number.isFinite(c.vardiff.targetShareS) && c.vardiff.targetShareS >= 0,
    `${n}: vardiff.targetShareS ${c.vardiff.targetShareS}`,
  );
  check(
    Number.isFinite(c.vardiff.minDifficulty) && c.vardiff.minDifficulty > 0,
    `${n}: vardiff.minDifficulty ${c.vardiff.minDifficulty}`,
  );
  return c;
}

/** Proxy-wide timings (seconds unless the name says otherwise). */
export interface ProxyTimings {
  /** How long an upstream with no miners stays open for late shares of its jobs (PROXY.md: 15 s). */
  graceS: number;
  /** An upstream down this long marks its pool down; routes move to the next ranked target. */
  failoverAfterS: number;
  /** A pool marked down is tried again after this long, when the decision still prefers it. */
  downRetryS: number;
  /** Backstop: a route asks for a decision at least this often, events or not. */
  decisionIntervalS: number;
  /** Longest wait for one decision; a first decision that fails or times out means the fallback pool. */
  decisionTimeoutMs: number;
  /** Upstream: connect + subscribe + authorize within this; a request unanswered this long is a stall. */
  upstreamTimeoutMs: number;
  /** Upstream: no message at all for this long is a stall (pools send jobs at least every minute or two). */
  upstreamSilenceS: number;
  /** Upstream reconnect backoff bounds. */
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** Miner reports go out this often; hashrates are rolled on the same beat. */
  reportIntervalS: number;
  /** Time constant of the hashrate estimate's exponential average. */
  hashrateTauS: number;
  /** A switch not complete after this long is reported as it stands. */
  switchReportAfterS: number;
  /** A route with no miners is forgotten after this long. */
  routeIdleS: number;
  /** The one sweeper/tick interval (idle, handshake and slow-loris timeouts, upstream stalls, routes). */
  tickMs: number;
}

export const DEFAULT_TIMINGS: ProxyTimings = {
  graceS: 15,
  failoverAfterS: 3,
  downRetryS: 30,
  decisionIntervalS: 60,
  decisionTimeoutMs: 10_000,
  upstreamTimeoutMs: 10_000,
  upstreamSilenceS: 300,
  reconnectMinMs: 500,
  reconnectMaxMs: 30_000,
  reportIntervalS: 60,
  hashrateTauS: 300,
  switchReportAfterS: 30,
  routeIdleS: 300,
  tickMs: 1000,
};

export function proxyTimings(input: Partial<ProxyTimings> = {}): ProxyTimings {
  const t = { ...DEFAULT_TIMINGS, ...input };
  for (const [key, value] of Object.entries(t)) check(Number.isFinite(value) && value > 0, `${key} ${value}`);
  return t;
}
