// The JSON summary of a proxy (like xmrig-proxy's HTTP API): listeners, routes, upstreams, pools, counters.

import type { ListenerRuntime, ProxyContext, ProxyCounters } from '../context.ts';
import type { ConnectionTable } from '../downstream/connection-table.ts';
import type { MinerReport } from '../ports.ts';
import type { LastSwitch } from '../routing/route.ts';
import { minerReport, usdPerDay as minerUsdPerDay } from './reporter.ts';

export interface ProxySummary {
  proxyId: string;
  at: string;
  connections: number;
  miners: { authorized: number; mining: number; hashrateHs: number; usdPerDay: number | null };
  listeners: { name: string; algorithm: string; upstreamMode: string; port: number; connections: number }[];
  routes: RouteSummary[];
  upstreams: UpstreamSummary[];
  pools: { poolKey: string; accepted: number; rejected: number; stale: number; down: string | null }[];
  counters: ProxyCounters;
}

export interface RouteSummary {
  key: string;
  listener: string;
  profile: string;
  hardware: string | null;
  account: string;
  miners: number;
  hashrateHs: number;
  usdPerDay: number | null;
  target: string | null;
  /** The runner-up whose pool connections are kept open (shared mode). */
  standby: string | null;
  trigger: string | null;
  since: string | null;
  decision: { reason: string | null; at: string | null; error: string | null };
  switches: number;
  lastSwitch: LastSwitch | null;
}

export interface UpstreamSummary {
  poolKey: string;
  account: string;
  lane: number;
  state: string;
  endpoint: string;
  miners: number;
  joining: number;
  /** Held open by a route as its standby. */
  standby: boolean;
  difficulty: number;
  extranonce2Size: number;
  versionMask: string;
  jobs: number;
  accepted: number;
  rejected: number;
  stale: number;
  lastError: string | null;
}

const iso = (ms: number) => (ms > 0 ? new Date(ms).toISOString() : null);

export function buildSummary(
  ctx: ProxyContext,
  listeners: ListenerRuntime[],
  connections: ConnectionTable,
): ProxySummary {
  let authorized = 0;
  let mining = 0;
  let hashrateHs = 0;
  let usdPerDay: number | null = null;
  for (const s of connections.sessions) {
    if (!s.authorized) continue;
    authorized++;
    if (s.upstream !== null) mining++;
    hashrateHs += s.hashrateHs;
    const value = minerUsdPerDay(s);
    if (value !== null) usdPerDay = (usdPerDay ?? 0) + value;
  }
  // Pool-wide marks only: a pool that refused one account's login is still up for the others.
  const down = new Map(
    ctx.health
      .list()
      .filter((d) => d.account === null)
      .map((d) => [d.poolKey, d.reason]),
  );
  return {
    proxyId: ctx.proxyId,
    at: new Date(ctx.now()).toISOString(),
    connections: connections.size,
    miners: { authorized, mining, hashrateHs, usdPerDay },
    listeners: listeners.map((l) => ({
      name: l.config.name,
      algorithm: l.config.algorithm,
      upstreamMode: l.config.upstreamMode,
      port: l.config.port,
      connections: l.connections,
    })),
    routes: routeSummaries(ctx),
    upstreams: upstreamSummaries(ctx),
    pools: [...new Set([...ctx.shares.byPool.keys(), ...down.keys()])].map((poolKey) => {
      const c = ctx.shares.byPool.get(poolKey);
      return {
        poolKey,
        accepted: c?.accepted ?? 0,
        rejected: c?.rejected ?? 0,
        stale: c?.stale ?? 0,
        down: ctx.health.isDown(poolKey) ? (down.get(poolKey) ?? 'down') : null,
      };
    }),
    counters: ctx.counters,
  };
}

function routeSummaries(ctx: ProxyContext): RouteSummary[] {
  return [...ctx.routes.all()].map((r) => {
    const hashrateHs = r.hashrateHs;
    const value = r.target?.usdPerHsDay;
    return {
      key: r.key,
      listener: r.listener.config.name,
      profile: r.profile,
      hardware: r.hardware,
      account: r.account.name,
      miners: r.miners.size,
      hashrateHs,
      usdPerDay: value == null ? null : hashrateHs * value,
      target: r.target?.poolKey ?? null,
      standby: r.standby?.poolKey ?? null,
      trigger: r.trigger,
      since: iso(r.sinceMs),
      decision: { reason: r.decision?.reason ?? null, at: iso(r.decidedAtMs), error: r.decisionError },
      switches: r.switches,
      lastSwitch: r.lastSwitch,
    };
  });
}

function upstreamSummaries(ctx: ProxyContext): UpstreamSummary[] {
  return [...ctx.upstreams.all()].map((u) => ({
    poolKey: u.target.poolKey,
    account: u.account.name,
    lane: u.lane,
    state: u.client.state,
    endpoint: `${u.client.endpoint.host}:${u.client.endpoint.port}`,
    miners: u.miners.size,
    joining: u.joining.size,
    standby: u.standby,
    difficulty: u.difficulty,
    extranonce2Size: u.extranonce2Size,
    versionMask: u.versionMask.toString(16).padStart(8, '0'),
    jobs: u.jobCount,
    accepted: u.accepted,
    rejected: u.rejected,
    stale: u.stale,
    lastError: u.client.lastError,
  }));
}

export interface MinerSummary extends MinerReport {
  id: number;
  remoteAddress: string;
  lane: number;
  extranonce1: string;
  extranonce2Size: number;
}

/** Authorized miners (up to `limit`), for the status server's /miners. */
export function minerSummaries(connections: ConnectionTable, limit: number): MinerSummary[] {
  const out: MinerSummary[] = [];
  for (const s of connections.sessions) {
    if (!s.authorized) continue;
    if (out.length >= limit) break;
    out.push({
      ...minerReport(s),
      id: s.id,
      remoteAddress: s.remoteAddress,
      lane: s.lane,
      extranonce1: s.extranonce1,
      extranonce2Size: s.extranonce2Size,
    });
  }
  return out;
}
