// The API contract: every route's schemas (zod), their JSON Schema and their types, for the API and its clients.

export * from './backtest.ts';
export * from './decision.ts';
export * from './errors.ts';
export * from './events.ts';
export * from './json-schema.ts';
export * from './market.ts';
export * from './operations.ts';
export * from './primitives.ts';
export * from './profiles.ts';
export * from './reports.ts';
export * from './routes.ts';
