// Simulated Stratum V1 pool and miners (real hashing, faults, load mode) for tests and benchmarks.

export * from './clock.ts';
export * from './load-connection.ts';
export * from './load-miners.ts';
export * from './memory-duplex.ts';
export * from './miner-profiles.ts';
export * from './miner-work.ts';
export * from './pending-requests.ts';
export * from './pool-connection.ts';
export * from './pool-ledger.ts';
export * from './raw-client.ts';
export * from './sample-recorder.ts';
export * from './sim-job.ts';
export * from './sim-miner.ts';
export * from './sim-miner-types.ts';
export * from './sim-pool.ts';
export * from './sim-share-check.ts';
export * from './test-tls.ts';
export * from './wait-for.ts';
