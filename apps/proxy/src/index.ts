// @smart-mining/proxy — the Stratum proxy core: miner sessions, upstream pools, routes, switching, stats.
//
// Ports (ports.ts) — what the proxy needs from outside, implemented over the API's HTTP client in production:
//   DecisionSource {decide(route, current), subscribe(onChange)}, AccountDirectory {account, knownProfile,
//   knownHardware, pool}, ReportSink {miners(reports), switched(report)}; in-memory versions in test/memory-ports.ts.
// Core — createProxy({listeners, decisions, directory, reports, proxyId?, logger?, registry?, now?, dial?, timings?})
//   → {handle(duplex, {listener?, remoteAddress?}), summary(), miners(limit), report(), registry, close()}.
//   listenerConfig(input) fills a listener's defaults (config.ts); proxyTimings(input) the proxy-wide timings.
// API — createApiPorts({urls, token, proxyId, accounts, pool, logger}) gives the ports over the HTTP API (api/):
//   GET /v1/decision, SSE /v1/events (Last-Event-ID, reconnect, URL failover), POST /v1/reports/*, profile checks.
// Network — listen(proxy) opens every listener (TCP or TLS); runWorkers({workers, start}) runs one whole proxy per
//   node:cluster worker on shared ports; startStatusServer(proxy, {port}) serves /metrics, /summary, /miners.
// Run the proxy process with `--max-semi-space-size=1`: V8's default young generation adds tens of MB of RSS that
// only hold short-lived garbage (docs/benchmarks.md). `smart-mining proxy` starts itself again with it.

export * from './api/index.ts';
export * from './config.ts';
export type { ConnectionInfo } from './downstream/miner-session.ts';
export * from './errors.ts';
export { type StatusServer, startStatusServer } from './http/status-server.ts';
export * from './ports.ts';
export { createProxy, PROXY_AGENT, type ProxyDeps, type StratumProxy } from './proxy.ts';
export * from './server.ts';
export type { MinerSummary, ProxySummary } from './stats/summary.ts';
export { type Dialer, netDialer } from './upstream/dial.ts';
