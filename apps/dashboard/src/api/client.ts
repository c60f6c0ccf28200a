// Every call the dashboard makes to the API (same origin), with each query parameter's name defined once.

import { readMiners, readSwitches } from './answers.ts';
import { noteServerTime, serverNow, serverTimeKnown } from './server-clock.ts';
import type {
  Backtest,
  Coin,
  Decision,
  Hardware,
  History,
  MinerStats,
  MinersQuery,
  Pool,
  Profile,
  ProfileDefinition,
  Ranking,
  Sources,
  SwitchesQuery,
  SwitchLogEntry,
} from './types.ts';

/**
 * Query parameter names. The API contract names each with its unit; where today's server still reads the
 * old name, the value here is that name (one line to change when the contract lands).
 */
export const PARAM = {
  hashrateHs: 'hashrateHs',
  electricityUsdPerKwh: 'electricityUsdPerKwh',
  bucketS: 'bucketS',
  stepS: 'stepS',
  from: 'from',
  to: 'to',
  algorithms: 'algorithms',
  hardware: 'hardware',
  profile: 'profile',
  includeStale: 'includeStale',
  limit: 'limit',
  proxy: 'proxy',
  account: 'account',
  route: 'route',
  miner: 'miner',
  since: 'since',
} as const;

type ParamName = keyof typeof PARAM;
type Query = Partial<Record<ParamName, string | number | boolean | undefined>>;

/** The server-sent events stream and the event names that mean "reload what you show". */
export const EVENTS_URL = '/v1/events';
export const MARKET_EVENTS = ['rankings-changed'] as const;
/** A proxy reported its miners, or the switches it made. */
export const MINERS_EVENTS = ['miners-reported'] as const;
export const SWITCH_EVENTS = ['switch'] as const;
export const CHANGE_EVENTS = [...MARKET_EVENTS, ...MINERS_EVENTS, ...SWITCH_EVENTS] as const;

/** A failed call: the API's `{error: {code, message}}`, with the field the message names (`body/name`). */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: string;
  /** `<location>/<path>` the message starts with, e.g. `body/definition/switching/thresholdFraction`. */
  readonly field: string | null;
  /** The message without the field, e.g. `must be <= 1`. */
  readonly problem: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiRequestError';
    this.status = status;
    this.code = code;
    const match = /^((?:body|querystring|params)(?:\/\S*)?) (.*)$/s.exec(message);
    this.field = match?.[1] ?? null;
    this.problem = match?.[2] ?? message;
  }
}

/** Who mines: a device (its measured hashrates) or algorithms at one hashrate. */
export type Miner = { hardware: string } | { algorithms: string[]; hashrateHs: number };

export interface TimeRange {
  from: Date;
  to: Date;
}

function minerQuery(miner: Miner): Query {
  return 'hardware' in miner
    ? { hardware: miner.hardware }
    : { algorithms: miner.algorithms.join(','), hashrateHs: miner.hashrateHs };
}

function rangeQuery(range: TimeRange): Query {
  return { from: range.from.toISOString(), to: range.to.toISOString() };
}

function url(path: string, query: Query = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) search.set(PARAM[name as ParamName], String(value));
  }
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, { ...init, headers: { accept: 'application/json', ...init.headers } });
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => null)) as
    | (T & { at?: unknown })
    | { error?: { code?: string; message?: string } }
    | null;
  if (!res.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiRequestError(
      res.status,
      error?.code ?? `HTTP_${res.status}`,
      error?.message ?? res.statusText,
    );
  }
  const at = (body as { at?: unknown } | null)?.at;
  if (typeof at === 'string') noteServerTime(at);
  return body as T;
}

function write<T>(method: string, path: string, token: string, body?: unknown): Promise<T> {
  return request<T>(path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

export const api = {
  coins: async () => (await request<{ coins: Coin[] }>('/v1/coins')).coins,
  pools: async () => (await request<{ pools: Pool[] }>('/v1/pools')).pools,
  hardware: async () => (await request<{ hardware: Hardware[] }>('/v1/hardware')).hardware,

  ranking: (miner: Miner, electricityUsdPerKwh: number) =>
    request<Ranking>(
      url('/v1/ranking', { ...minerQuery(miner), electricityUsdPerKwh, includeStale: true, limit: 1000 }),
    ),

  decision: (profile: string, miner: Miner) =>
    request<Decision>(url('/v1/decision', { profile, ...minerQuery(miner) })),

  coinHistory: (coin: string, range: TimeRange, bucketS: number) =>
    request<History>(url(`/v1/coins/${encodeURIComponent(coin)}/history`, { ...rangeQuery(range), bucketS })),

  poolHistory: (poolKey: string, range: TimeRange, bucketS: number) =>
    request<History>(
      url(`/v1/pools/${encodeURIComponent(poolKey)}/history`, { ...rangeQuery(range), bucketS }),
    ),

  backtest: (profile: string, miner: Miner, range: TimeRange, stepS: number) =>
    request<Backtest>(url('/v1/backtest', { profile, ...minerQuery(miner), ...rangeQuery(range), stepS })),

  profiles: async () => (await request<{ profiles: Profile[] }>('/v1/profiles')).profiles,
  createProfile: (token: string, name: string, definition: ProfileDefinition) =>
    write<Profile>('POST', '/v1/profiles', token, { name, definition }),
  updateProfile: (token: string, name: string, definition: ProfileDefinition) =>
    write<Profile>('PUT', `/v1/profiles/${encodeURIComponent(name)}`, token, { definition }),
  deleteProfile: (token: string, name: string) =>
    write<void>('DELETE', `/v1/profiles/${encodeURIComponent(name)}`, token),

  sources: () => request<Sources>('/v1/sources'),

  miners: async (query: MinersQuery = {}): Promise<MinerStats[]> =>
    readMiners(await request<unknown>(url('/v1/miners', query))),
  switches: async (query: SwitchesQuery = {}): Promise<SwitchLogEntry[]> =>
    readSwitches(await request<unknown>(url('/v1/switches', query))),

  /** The server's now (ranges are measured from it); asks once if no answer has told it yet. */
  serverNow: async (): Promise<Date> => {
    if (!serverTimeKnown()) await request<Sources>('/v1/sources');
    return serverNow();
  },
};
