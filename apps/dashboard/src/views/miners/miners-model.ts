// The miners view's figures from GET /v1/miners, pure: each miner's current pool (its newest report), the
// account it belongs to, totals per account, and the text filter.

import type { MinerStats } from '../../api/types.ts';

export interface MinerRow extends MinerStats {
  /** ACCOUNT of ACCOUNT.WORKER (or the wallet of wallet.worker); the whole login when it has no dot. */
  account: string;
  worker: string;
  coin: string;
  /** `proxy/miner`: unique across proxies. */
  key: string;
}

export interface AccountTotals {
  account: string;
  miners: number;
  hashrateHs: number;
  accepted: number;
  rejected: number;
  stale: number;
  usdPerDay: number;
  /** Miners without a USD estimate, so `usdPerDay` is a lower bound. */
  withoutUsd: number;
}

export function accountOf(login: string): { account: string; worker: string } {
  const dot = login.indexOf('.');
  return dot < 0
    ? { account: login, worker: '' }
    : { account: login.slice(0, dot), worker: login.slice(dot + 1) };
}

/**
 * One row per (proxy, miner): a miner that moved has a row per pool it was reported on; the newest report
 * is where it mines now (equal times: the later pool key, so the answer decides the same way every time).
 */
export function currentMiners(stats: readonly MinerStats[]): MinerRow[] {
  const newest = new Map<string, MinerStats>();
  for (const s of stats) {
    const key = `${s.proxy}/${s.miner}`;
    const seen = newest.get(key);
    if (
      !seen ||
      s.reportedAt > seen.reportedAt ||
      (s.reportedAt === seen.reportedAt && s.poolKey > seen.poolKey)
    )
      newest.set(key, s);
  }
  return [...newest.entries()].map(([key, s]) => ({
    ...s,
    ...accountOf(s.miner),
    coin: s.poolKey.slice(s.poolKey.indexOf(':') + 1),
    key,
  }));
}

export function accountTotals(rows: readonly MinerRow[]): AccountTotals[] {
  const totals = new Map<string, AccountTotals>();
  for (const r of rows) {
    let t = totals.get(r.account);
    if (!t) {
      t = {
        account: r.account,
        miners: 0,
        hashrateHs: 0,
        accepted: 0,
        rejected: 0,
        stale: 0,
        usdPerDay: 0,
        withoutUsd: 0,
      };
      totals.set(r.account, t);
    }
    t.miners += 1;
    t.hashrateHs += r.hashrateHs ?? 0;
    t.accepted += r.accepted;
    t.rejected += r.rejected;
    t.stale += r.stale;
    if (r.usdPerDay === null) t.withoutUsd += 1;
    else t.usdPerDay += r.usdPerDay;
  }
  return [...totals.values()].sort((a, b) => b.usdPerDay - a.usdPerDay || a.account.localeCompare(b.account));
}

/** Rows whose miner, pool, coin, profile, hardware, algorithm or proxy contains every word of `query`. */
export function filterMiners(rows: readonly MinerRow[], query: string): readonly MinerRow[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return rows;
  return rows.filter((r) => {
    const text = [r.miner, r.poolKey, r.profile, r.hardware, r.algorithm, r.proxy].join(' ').toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** Share of rejected and stale among all shares, null before the first share. */
export function rejectedFraction(r: { accepted: number; rejected: number; stale: number }): number | null {
  const all = r.accepted + r.rejected + r.stale;
  return all === 0 ? null : (r.rejected + r.stale) / all;
}
