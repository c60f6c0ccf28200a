export * from './fixtures.ts';
export * from './market-script.ts';
export * from './replay-routes.ts';
export * from './replay-server.ts';
export * from './sse-client.ts';
export * from './stratum/index.ts';
export * from './tcp-forwarder.ts';
export * from './wait-for.ts';
