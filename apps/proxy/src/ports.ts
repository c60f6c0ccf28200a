// The proxy's ports: everything it learns from or tells the outside world (decisions, accounts, reports).
//
// The proxy core depends only on these interfaces. In production the API's HTTP client implements them
// (GET /v1/decision with `current` + `since`, GET /v1/pools/:poolKey, SSE /v1/events with Last-Event-ID,
// POST /v1/reports/* with the proxy token); tests use the in-memory implementations in test/memory-ports.ts.
// Kept stable on purpose: add optional fields rather than change existing ones.
//
// Example (a fixed decision, as a test or a one-pool setup would write it):
//
//   const ltc: Target = { poolKey: 'viabtc:LTC', coin: 'LTC', algorithm: 'scrypt', feeFraction: 0.02,
//     usdPerHsDay: 4.1e-9, endpoints: [{ host: 'ltc.viabtc.io', port: 3333, tls: false, dialect: 'stratum-v1' }] };
//   const decisions: DecisionSource = {
//     decide: async () => ({ chosen: ltc, ranked: [ltc], reason: 'fixed' }),
//     subscribe: () => () => {},
//   };

/** One way to reach a pool. The proxy dials only endpoints that come from a decision or from config. */
export interface PoolEndpoint {
  host: string;
  port: number;
  tls: boolean;
  /** `stratum-v1` for sha256d/scrypt; endpoints of other dialects are skipped by a V1 listener. */
  dialect: string;
}

/** A pool the proxy may mine on, as a decision ranks it. */
export interface Target {
  /** `<pool>:<coin>`, e.g. `viabtc:LTC`. */
  poolKey: string;
  /** Uppercase ticker; the account's wallet for this coin is the upstream login. */
  coin: string;
  /** Lowercase canonical algorithm key (`sha256d`, `scrypt`); must match the listener's. */
  algorithm: string;
  /** The pool's fee as a fraction (0.01 = 1 %); informational, `usdPerHsDay` is already net of it. */
  feeFraction: number;
  /** Revenue of 1 H/s for one day on this pool, USD, net of the pool fee; null when unknown (fallback pool). */
  usdPerHsDay: number | null;
  /** Non-empty for a target the proxy can dial; the source fills it (decision, GET /v1/pools/:key, config). */
  endpoints: PoolEndpoint[];
}

/** What a route asks: the miner group's profile, hardware, algorithms and account. */
export interface DecisionRoute {
  profile: string;
  /** Hardware key from the miner's `hw=` option, or null when the miner gave none. */
  hardware: string | null;
  /** The listener's algorithm (a V1 listener serves one). */
  algorithms: string[];
  /** Measured hashrate per algorithm (aligned with `algorithms`), when the route has measured any. */
  hashrateHs?: number[];
  /** Account name, or the name the directory gave a bare wallet. Sources may restrict candidates to its coins. */
  account: string;
}

/** The target a route mines now and since when, so the profile's threshold and dwell time apply. */
export interface CurrentTarget {
  poolKey: string;
  since: Date;
}

/** A decision: the choice, every ranked alternative (best first, used for failover) and why. */
export interface ProxyDecision {
  /** Null when no candidate qualifies (the route then keeps its current target). */
  chosen: Target | null;
  /** Best first; usually starts with `chosen`. The proxy skips entries it cannot use (down, no wallet, …). */
  ranked: Target[];
  reason: string;
  /** Age of the market data behind the decision. */
  snapshotAgeS?: number;
  /** The decision's inputs, copied verbatim into switch reports. */
  inputs?: unknown;
  /** The source's own key for this route (the API's `route`), copied into switch reports. */
  route?: string;
  /** Seconds left of the profile's minimum dwell on the current target: the route asks again when it ends. */
  dwellLeftS?: number;
}

/** Something that may change decisions: every route (or every route of one profile) asks again. */
export type DecisionEvent =
  | { kind: 'rankings-changed' }
  | { kind: 'profile-changed'; profile: string }
  /** The event stream reconnected and may have missed events: every route asks again. */
  | { kind: 'catch-up' };

export interface DecisionSource {
  /**
   * Where `route` should mine now. A rejection (API unreachable, timeout, bad answer) is survivable: the
   * route keeps its current target (fail-static) or, having never had one, mines the listener's fallback pool.
   */
  decide(route: DecisionRoute, current: CurrentTarget | null): Promise<ProxyDecision>;
  /** Calls `onChange` whenever decisions may have changed; returns the unsubscribe function. */
  subscribe(onChange: (event: DecisionEvent) => void): () => void;
}

/** An account: the wallet to log in with on a pool of each coin. */
export interface Account {
  name: string;
  /** Coin ticker → wallet address. A target whose coin has no wallet here is skipped for this account. */
  wallets: Readonly<Record<string, string>>;
}

/** How a pool's TLS certificate is checked: `ca` (PEM) trusted instead of the public CAs; `verify` false: not at all. */
export interface PoolTls {
  ca?: string;
  verify?: boolean;
}

/** A pool the operator declared in config: used for the fallback pool, for dialing, and for its login password. */
export type DeclaredPool = Omit<Target, 'usdPerHsDay'> & {
  /** The password to log in with on this pool (default `x`), e.g. `c=LTC` where the pool pays out in a chosen coin. */
  password?: string;
  /** For its stratum+ssl endpoints (default: verified against the public CAs). */
  tls?: PoolTls;
};

type MaybePromise<T> = T | Promise<T>;

/** Accounts, known profiles and hardware, and declared pools (from config; checks may go to the API). */
export interface AccountDirectory {
  /**
   * The account for the part of a username before its first `.`: an account name, or a bare wallet (the
   * directory decides which coins a bare wallet may mine). Undefined: unknown (authorize is refused).
   */
  account(name: string): MaybePromise<Account | undefined>;
  knownProfile(name: string): MaybePromise<boolean>;
  knownHardware(name: string): MaybePromise<boolean>;
  /** A declared pool by key (the listener's fallback pool is looked up here). */
  pool(poolKey: string): DeclaredPool | undefined;
}

/** One miner's state, as reported periodically (counters since `connectedAt`). */
export interface MinerReport {
  /** The username as the miner logged in (`ACCOUNT.WORKER` or `wallet.worker`). */
  miner: string;
  account: string;
  worker: string;
  poolKey: string | null;
  coin: string | null;
  profile: string;
  hardware: string | null;
  algorithm: string;
  connectedAt: Date;
  accepted: number;
  rejected: number;
  stale: number;
  /** Estimated from accepted share difficulty; 0 until the first accepted share. */
  hashrateHs: number;
  /** hashrateHs × the target's usdPerHsDay; null when the target's value is unknown. */
  usdPerDay: number | null;
  /** The miner's user agent from mining.subscribe, when it sent one. */
  agent: string | null;
}

/** How miners were moved: a clean notify (fold), set_extranonce first, or client.reconnect (last resort). */
export type SwitchMethod = 'notify' | 'set_extranonce' | 'reconnect';

/** What started a switch. */
export type SwitchTrigger = 'decision' | 'failover' | 'fallback' | 'recovery';

/** One route's switch from one pool to another. */
export interface SwitchReport {
  /** Unique per switch: a sink may retry a failed delivery with the same key. */
  idempotencyKey: string;
  /** When the switch began (the decision was applied). */
  at: Date;
  route: { algorithm: string; profile: string; hardware: string | null; account: string };
  from: string | null;
  to: string;
  trigger: SwitchTrigger;
  /** The decision's reason (or the failover's). */
  reason: string;
  /** The decision's inputs, verbatim (null when the route never had a decision: fallback). */
  inputs: unknown;
  /** The decision's own route key (ProxyDecision.route), null when it gave none. */
  decisionRoute: string | null;
  /** The strongest method any miner needed (reconnect > set_extranonce > notify). */
  method: SwitchMethod;
  /** Miners moved per method. */
  methods: Record<SwitchMethod, number>;
  /** Usernames of the miners moved. */
  miners: string[];
  /** From the decision to the last miner's first job on the new pool; null when the report was cut short. */
  durationMs: number | null;
}

/**
 * Where reports go. Delivery is best effort: the proxy logs a rejection and goes on (a sink may retry;
 * switch reports carry an idempotency key for that).
 */
export interface ReportSink {
  /** Every connected, authorized miner, periodically, in one batch. */
  miners(reports: MinerReport[]): Promise<void>;
  /** One switch, once it is complete (or cut short by the next one). */
  switched(report: SwitchReport): Promise<void>;
}
