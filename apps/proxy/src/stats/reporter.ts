// Periodic miner reports: every reportIntervalS the hashrates are rolled and every authorized miner is reported.

import type { ProxyContext } from '../context.ts';
import type { ConnectionTable } from '../downstream/connection-table.ts';
import type { MinerSession } from '../downstream/miner-session.ts';
import type { MinerReport } from '../ports.ts';
import { nextHashrate } from './hashrate.ts';

export class MinerReporter {
  readonly #ctx: ProxyContext;
  readonly #connections: ConnectionTable;
  #lastRollMs: number;
  #sending = false;

  constructor(ctx: ProxyContext, connections: ConnectionTable) {
    this.#ctx = ctx;
    this.#connections = connections;
    this.#lastRollMs = ctx.now();
  }

  tick(nowMs: number): void {
    if (nowMs - this.#lastRollMs < this.#ctx.timings.reportIntervalS * 1000) return;
    this.roll(nowMs);
    void this.send();
  }

  /** Folds each miner's window of accepted hashes into its estimate. */
  roll(nowMs: number): void {
    const windowS = (nowMs - this.#lastRollMs) / 1000;
    this.#lastRollMs = nowMs;
    const tauS = this.#ctx.timings.hashrateTauS;
    for (const s of this.#connections.sessions) {
      s.hashrateHs = nextHashrate(s.hashrateHs, s.windowHashes, windowS, tauS);
      s.windowHashes = 0;
    }
  }

  reports(): MinerReport[] {
    const out: MinerReport[] = [];
    for (const s of this.#connections.sessions) if (s.authorized) out.push(minerReport(s));
    return out;
  }

  /** One batch at a time; a failed delivery is logged and the next period sends fresh numbers. */
  async send(): Promise<void> {
    if (this.#sending) return;
    this.#sending = true;
    const reports = this.reports();
    try {
      await Promise.resolve().then(() => this.#ctx.reports.miners(reports));
    } catch (e) {
      this.#ctx.logger.warn(
        { err: (e as Error).message, miners: reports.length },
        'miner report not delivered',
      );
    } finally {
      this.#sending = false;
    }
  }
}

export function minerReport(s: MinerSession): MinerReport {
  const target = s.upstream?.target ?? null;
  const login = s.login!;
  return {
    miner: login.username,
    account: s.account?.name ?? login.accountName,
    worker: login.worker,
    poolKey: target?.poolKey ?? null,
    coin: target?.coin ?? null,
    profile: s.route?.profile ?? login.profile ?? s.listener.config.defaultProfile,
    hardware: s.route?.hardware ?? login.hardware ?? null,
    algorithm: s.listener.config.algorithm,
    connectedAt: new Date(s.connectedAtS * 1000),
    accepted: s.accepted,
    rejected: s.rejected,
    stale: s.stale,
    hashrateHs: s.hashrateHs,
    usdPerDay: usdPerDay(s),
    agent: s.agent,
  };
}

/**
 * hashrate × the value of the pool the miner mines now; the route's target carries the freshest value (each
 * decision), the upstream's the one from when it was opened.
 */
export function usdPerDay(s: MinerSession): number | null {
  const target = s.upstream?.target;
  if (target === undefined) return null;
  const fresh = s.route?.target?.poolKey === target.poolKey ? s.route.target : target;
  return fresh.usdPerHsDay === null ? null : s.hashrateHs * fresh.usdPerHsDay;
}
