export * from './algorithms.ts';
export * from './coins.ts';
export * from './decision/index.ts';
export * from './hardware.ts';
export * from './observations.ts';
export * from './profitability.ts';
export * from './stratum-dialects.ts';
export * from './units.ts';
