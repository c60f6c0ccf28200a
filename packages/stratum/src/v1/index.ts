// Stratum V1 (Bitcoin family) codec: the dispatch table, typed params and results, and line builders.

export * from './configure.ts';
export * from './encode.ts';
export * from './methods.ts';
export * from './miner-params.ts';
export * from './pool-params.ts';
export * from './results.ts';
