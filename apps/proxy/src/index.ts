// @smart-mining/proxy — the Stratum proxy core: miner sessions, upstream pools, routes, switching, stats.

export * from './ports.ts';
