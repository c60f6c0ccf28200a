// The decision engine's public surface: the contract types, profiles, decide() and backtest().

export * from './backtest.ts';
export * from './built-in-profiles.ts';
export * from './decide.ts';
export * from './errors.ts';
export * from './profile-schema.ts';
export { MIN_SWITCH_HORIZON_S, switchHorizonS, switchLossUsdPerDay } from './switching.ts';
export * from './types.ts';
