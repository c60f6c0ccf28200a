// Public surface of the API app: the factory, the event channel the aggregator notifies, the error catalogue.

export { type BuildAppDeps, buildApp, DEFAULT_DECISION, DEFAULT_HEALTH } from './app.ts';
export type { DecisionDefaults, HealthOptions } from './app-context.ts';
export type { BacktestReportJson } from './backtest-service.ts';
export { API_ERRORS, ApiError, type ApiErrorCode } from './errors.ts';
export { RANKINGS_EVENT } from './events.ts';
