export * from './closed-port.ts';
export * from './fixtures.ts';
export * from './market-script.ts';
export * from './replay-clock.ts';
export * from './replay-environment.ts';
export * from './replay-routes.ts';
export * from './replay-server.ts';
export * from './wait-for.ts';
