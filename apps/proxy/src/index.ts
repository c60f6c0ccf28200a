// @smart-mining/proxy — the Stratum proxy core: miner sessions, upstream pools, routes, switching, stats.

export * from './config.ts';
export type { ConnectionInfo } from './downstream/miner-session.ts';
export * from './errors.ts';
export { type StatusServer, startStatusServer } from './http/status-server.ts';
export * from './ports.ts';
export { createProxy, PROXY_AGENT, type ProxyDeps, type StratumProxy } from './proxy.ts';
export * from './server.ts';
export type { MinerSummary, ProxySummary } from './stats/summary.ts';
export { type Dialer, netDialer } from './upstream/dial.ts';
