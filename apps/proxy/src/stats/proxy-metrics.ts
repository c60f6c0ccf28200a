// Prometheus metrics of a proxy (prom-client), read from its counters when scraped: nothing on the share path.

import { Counter, Gauge, type Registry } from 'prom-client';
import type { ProxySummary } from './summary.ts';

/** Registers the proxy's metrics on `registry`; `summary` is called once per scrape. */
export function registerProxyMetrics(registry: Registry, summary: () => ProxySummary): void {
  let cached: { at: number; value: ProxySummary } | undefined;
  // One summary per scrape, shared by every metric's collect().
  const read = () => {
    const now = Date.now();
    if (cached === undefined || now - cached.at > 500) cached = { at: now, value: summary() };
    return cached.value;
  };
  const registers = [registry];
  new Gauge({
    name: 'sm_proxy_connections',
    help: 'Open miner connections per listener',
    labelNames: ['listener'],
    registers,
    collect() {
      this.reset();
      for (const l of read().listeners) this.set({ listener: l.name }, l.connections);
    },
  });
  new Gauge({
    name: 'sm_proxy_miners',
    help: 'Authorized miners, and those mining (attached to a pool)',
    labelNames: ['state'],
    registers,
    collect() {
      const m = read().miners;
      this.set({ state: 'authorized' }, m.authorized);
      this.set({ state: 'mining' }, m.mining);
    },
  });
  new Gauge({
    name: 'sm_proxy_hashrate_hs',
    help: 'Estimated hashrate per route (H/s, from accepted share difficulty)',
    labelNames: ['route', 'target'],
    registers,
    collect() {
      this.reset();
      for (const r of read().routes) this.set({ route: r.key, target: r.target ?? '' }, r.hashrateHs);
    },
  });
  new Gauge({
    name: 'sm_proxy_upstreams',
    help: 'Upstream pool connections per pool and state',
    labelNames: ['pool', 'state'],
    registers,
    collect() {
      this.reset();
      for (const u of read().upstreams) this.inc({ pool: u.poolKey, state: u.state });
    },
  });
  new Gauge({
    name: 'sm_proxy_standby_upstreams',
    help: 'Upstream pool connections held open for a route’s runner-up target, per pool',
    labelNames: ['pool'],
    registers,
    collect() {
      this.reset();
      for (const u of read().upstreams) if (u.standby) this.inc({ pool: u.poolKey });
    },
  });
  new Counter({
    name: 'sm_proxy_shares_total',
    help: 'Shares per pool and result (accepted, rejected, stale)',
    labelNames: ['pool', 'result'],
    registers,
    collect() {
      this.reset();
      for (const p of read().pools) {
        this.inc({ pool: p.poolKey, result: 'accepted' }, p.accepted);
        this.inc({ pool: p.poolKey, result: 'rejected' }, p.rejected);
        this.inc({ pool: p.poolKey, result: 'stale' }, p.stale);
      }
    },
  });
  new Counter({
    name: 'sm_proxy_switches_total',
    help: 'Route switches by the strongest method used (notify, set_extranonce, reconnect)',
    labelNames: ['method'],
    registers,
    collect() {
      this.reset();
      for (const [method, n] of Object.entries(read().counters.switches)) this.inc({ method }, n);
    },
  });
  new Counter({
    name: 'sm_proxy_closed_connections_total',
    help: 'Miner connections closed or refused by the proxy, by reason',
    labelNames: ['reason'],
    registers,
    collect() {
      this.reset();
      const c = read().counters;
      for (const [reason, n] of Object.entries(c.closedBy)) this.inc({ reason }, n);
      for (const [reason, n] of Object.entries(c.connectionsRefused))
        this.inc({ reason: `refused-${reason}` }, n);
    },
  });
  new Counter({
    name: 'sm_proxy_bad_lines_total',
    help: 'Malformed miner lines answered with error 20',
    registers,
    collect() {
      this.reset();
      this.inc(read().counters.badLines);
    },
  });
  new Counter({
    name: 'sm_proxy_logins_refused_total',
    help: 'Miner logins refused (unknown account, profile or hardware, bad password options); the miner gets why',
    registers,
    collect() {
      this.reset();
      this.inc(read().counters.loginsRefused);
    },
  });
}
