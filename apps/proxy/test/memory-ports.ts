// In-memory implementations of the proxy's ports for tests: a scriptable decision source, a directory from plain
// data, and a report sink that keeps what it was sent.

import type {
  Account,
  AccountDirectory,
  CurrentTarget,
  DecisionEvent,
  DecisionRoute,
  DecisionSource,
  DeclaredPool,
  MinerReport,
  PoolEndpoint,
  ProxyDecision,
  ReportSink,
  SwitchReport,
  Target,
} from '../src/ports.ts';

/** A target on a local simulated pool. */
export function localTarget(
  poolKey: string,
  port: number,
  options: { algorithm?: string; coin?: string; usdPerHsDay?: number | null; tls?: boolean } = {},
): Target {
  const endpoint: PoolEndpoint = {
    host: '127.0.0.1',
    port,
    tls: options.tls ?? false,
    dialect: 'stratum-v1',
  };
  return {
    poolKey,
    coin: options.coin ?? poolKey.split(':')[1] ?? 'BTC',
    algorithm: options.algorithm ?? 'sha256d',
    feeFraction: 0.01,
    usdPerHsDay: options.usdPerHsDay === undefined ? 1e-12 : options.usdPerHsDay,
    endpoints: [endpoint],
  };
}

/** Decisions from a settable ranking; can fail (as an unreachable API) or hang; records every question. */
export class MemoryDecisionSource implements DecisionSource {
  ranked: Target[] = [];
  reason = 'test ranking';
  /** When set, decide() rejects with this message. */
  failing: string | undefined;
  /** When set, each decision says the current target's dwell has this many seconds left. */
  dwellLeftS: number | undefined;
  readonly asked: { route: DecisionRoute; current: CurrentTarget | null }[] = [];
  #listeners = new Set<(event: DecisionEvent) => void>();

  constructor(ranked: Target[] = []) {
    this.ranked = ranked;
  }

  async decide(route: DecisionRoute, current: CurrentTarget | null): Promise<ProxyDecision> {
    this.asked.push({ route, current });
    if (this.failing !== undefined) throw new Error(this.failing);
    const ranked = this.ranked.filter((t) => route.algorithms.includes(t.algorithm));
    return {
      chosen: ranked[0] ?? null,
      ranked,
      reason: this.reason,
      inputs: { ranked: ranked.map((t) => t.poolKey) },
      route: `${route.profile}/${route.account}`,
      ...(this.dwellLeftS !== undefined ? { dwellLeftS: this.dwellLeftS } : {}),
    };
  }

  subscribe(onChange: (event: DecisionEvent) => void): () => void {
    this.#listeners.add(onChange);
    return () => this.#listeners.delete(onChange);
  }

  /** Changes the ranking and tells every subscriber (as `rankings-changed` on the event stream would). */
  rank(ranked: Target[], reason = this.reason): void {
    this.ranked = ranked;
    this.reason = reason;
    this.emit({ kind: 'rankings-changed' });
  }

  emit(event: DecisionEvent): void {
    for (const l of this.#listeners) l(event);
  }
}

export class MemoryDirectory implements AccountDirectory {
  readonly accounts = new Map<string, Account>();
  readonly profiles = new Set(['max-usd-coin', 'max-usd-hashrate', 'max-profit', 'fixed']);
  readonly hardware = new Set(['antminer-s19', 'bitaxe-gamma', 'cpu']);
  readonly pools = new Map<string, DeclaredPool>();

  constructor(accounts: Account[] = [], pools: Target[] = []) {
    for (const a of accounts) this.accounts.set(a.name, a);
    for (const p of pools) this.declare(p);
  }

  declare(target: Target): void {
    const { usdPerHsDay: _, ...pool } = target;
    this.pools.set(target.poolKey, pool);
  }

  /** A fresh object each time, as an adapter reading config or the API would return. */
  account(name: string): Account | undefined {
    const a = this.accounts.get(name);
    return a === undefined ? undefined : { ...a };
  }

  knownProfile(name: string): boolean {
    return this.profiles.has(name);
  }

  knownHardware(name: string): boolean {
    return this.hardware.has(name);
  }

  pool(poolKey: string): DeclaredPool | undefined {
    return this.pools.get(poolKey);
  }
}

export class MemoryReportSink implements ReportSink {
  readonly minerBatches: MinerReport[][] = [];
  readonly switches: SwitchReport[] = [];

  async miners(reports: MinerReport[]): Promise<void> {
    this.minerBatches.push(reports);
  }

  async switched(report: SwitchReport): Promise<void> {
    this.switches.push(report);
  }
}

/** An account with a wallet for each coin named. */
export function testAccount(name: string, coins: string[]): Account {
  return { name, wallets: Object.fromEntries(coins.map((c) => [c, `${c.toLowerCase()}wallet${name}`])) };
}
