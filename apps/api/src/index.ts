// Public surface of the API app: the factory and the error catalogue.

export { type BuildAppDeps, buildApp, DEFAULT_DECISION, DEFAULT_HEALTH } from './app.ts';
export type { DecisionDefaults, HealthOptions } from './app-context.ts';
export { API_ERRORS, ApiError, type ApiErrorCode } from './errors.ts';
export { EVENT_RETENTION_S } from './event-hub.ts';
export type { HeavyReadLimits } from './heavy-reads.ts';
