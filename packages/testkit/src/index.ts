export * from './fixtures.ts';
export * from './replay-routes.ts';
export * from './replay-server.ts';
