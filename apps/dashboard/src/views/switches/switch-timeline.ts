// The switches view's timelines from GET /v1/switches, pure: switches grouped per route (account and the
// decision's route), each with how long its target was kept, and the switches that moved a given miner.

import type { SwitchLogEntry } from '../../api/types.ts';
import { accountOf } from '../miners/miners-model.ts';

export interface TimelineEntry extends SwitchLogEntry {
  /** Seconds on `toPoolKey` until the next switch of the same route; null while it is still mined. */
  heldS: number | null;
}

export interface RouteTimeline {
  /** `account route`: a route is per account, as the proxy switches an account's miners together. */
  key: string;
  account: string;
  route: string;
  profile: string;
  /** Oldest first. */
  entries: TimelineEntry[];
  /** Where the route mines now (its newest switch's target). */
  current: string;
  lastAt: string;
}

function byTime(a: SwitchLogEntry, b: SwitchLogEntry): number {
  return Date.parse(a.at) - Date.parse(b.at) || a.id - b.id;
}

/** Newest route first. */
export function routeTimelines(switches: readonly SwitchLogEntry[]): RouteTimeline[] {
  const groups = new Map<string, SwitchLogEntry[]>();
  for (const s of switches) {
    const key = `${s.account} ${s.route}`;
    const list = groups.get(key);
    if (list) list.push(s);
    else groups.set(key, [s]);
  }
  const timelines = [...groups.entries()].map(([key, list]): RouteTimeline => {
    const sorted = [...list].sort(byTime);
    const entries = sorted.map((s, i) => {
      const next = sorted[i + 1];
      return { ...s, heldS: next ? (Date.parse(next.at) - Date.parse(s.at)) / 1000 : null };
    });
    const last = entries[entries.length - 1]!;
    return {
      key,
      account: last.account,
      route: last.route,
      profile: last.profile,
      entries,
      current: last.toPoolKey,
      lastAt: last.at,
    };
  });
  return timelines.sort((a, b) => Date.parse(b.lastAt) - Date.parse(a.lastAt) || a.key.localeCompare(b.key));
}

/**
 * The switches that moved a miner: those of its account, of its profile when it has one (a route belongs to
 * one profile). Newest first.
 */
export function minerSwitches(
  switches: readonly SwitchLogEntry[],
  miner: { miner: string; profile: string | null },
): SwitchLogEntry[] {
  const { account } = accountOf(miner.miner);
  return switches
    .filter((s) => s.account === account && (miner.profile === null || s.profile === miner.profile))
    .sort((a, b) => byTime(b, a));
}

/** "from → to" with "start" when the route had no target before. */
export function moveText(s: Pick<SwitchLogEntry, 'fromPoolKey' | 'toPoolKey'>): string {
  return `${s.fromPoolKey ?? 'start'} → ${s.toPoolKey}`;
}
