export * from './aggregator.ts';
export * from './collectors/collector.ts';
export * from './collectors/index.ts';
export * from './compute.ts';
export * from './errors.ts';
export * from './http-client.ts';
export * from './ingest.ts';
export * from './ingest-options.ts';
