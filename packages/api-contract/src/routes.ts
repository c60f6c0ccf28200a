// Every route of the API once: method, URL, who may call it, and the zod schemas of what goes in and out.

import { z } from 'zod';
import { backtestQuery, backtestResponse } from './backtest.ts';
import { decisionLogQuery, decisionLogResponse, decisionQuery, decisionResponse } from './decision.ts';
import type { ApiErrorCode } from './errors.ts';
import { EVENTS_DESCRIPTION, eventsQuery } from './events.ts';
import {
  coinHistoryResponse,
  coinListQuery,
  coinListResponse,
  coinParams,
  coinSchema,
  hardwareListQuery,
  hardwareListResponse,
  hardwareParams,
  hardwareSchema,
  historyQuery,
  poolHistoryResponse,
  poolListQuery,
  poolListResponse,
  poolParams,
  poolSchema,
  rankingQuery,
  rankingResponse,
} from './market.ts';
import { healthResponse, indexResponse, sourcesResponse } from './operations.ts';
import {
  profileCreateBody,
  profileListResponse,
  profileParams,
  profileSchema,
  profileUpdateBody,
} from './profiles.ts';
import {
  minersQuery,
  minersReportBody,
  minersResponse,
  reportStoredResponse,
  switchesQuery,
  switchesReportBody,
  switchesResponse,
} from './reports.ts';

export interface RouteContract {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  summary: string;
  description?: string;
  tags: readonly string[];
  /** Bearer token required: the admin token (SM_API_TOKEN) or a proxy token. */
  auth?: 'admin' | 'proxy';
  params?: z.ZodObject;
  querystring?: z.ZodObject;
  body?: z.ZodType;
  /** Success statuses and their bodies; null: no body. */
  responses: Readonly<Record<number, z.ZodType | null>>;
  /** Errors the route may answer besides 400 (bad input) and 503 (database away). */
  errors: readonly ApiErrorCode[];
  /** Response media types other than JSON. */
  produces?: readonly string[];
}

function route<const R extends RouteContract>(r: R): R {
  return r;
}

/** Response header carrying the age in seconds of the market snapshot behind the answer. */
export const SNAPSHOT_AGE_HEADER = 'snapshot-age-s';
const SNAPSHOT_NOTE = ` Served from the in-memory market snapshot; its age is in \`snapshotAgeS\` and the \`Snapshot-Age-S\` header.`;

const ADMIN_ERRORS = ['SM_API_UNAUTHORIZED', 'SM_API_FORBIDDEN', 'SM_API_WRITES_DISABLED'] as const;
const PROXY_ERRORS = ['SM_API_UNAUTHORIZED', 'SM_API_FORBIDDEN', 'SM_API_PAYLOAD_TOO_LARGE'] as const;
const HEAVY_ERRORS = ['SM_API_BUSY'] as const;

export const ROUTES = {
  index: route({
    method: 'GET',
    url: '/v1',
    summary: 'API name, version and documentation address',
    tags: ['operations'],
    responses: { 200: indexResponse },
    errors: [],
  }),
  coins: route({
    method: 'GET',
    url: '/v1/coins',
    summary: 'Latest state of every coin (stale ones flagged)',
    description: SNAPSHOT_NOTE,
    tags: ['coins'],
    querystring: coinListQuery,
    responses: { 200: coinListResponse },
    errors: [],
  }),
  coin: route({
    method: 'GET',
    url: '/v1/coins/:coin',
    summary: 'Latest state of one coin',
    tags: ['coins'],
    params: coinParams,
    responses: { 200: coinSchema },
    errors: ['SM_API_NOT_FOUND'],
  }),
  coinHistory: route({
    method: 'GET',
    url: '/v1/coins/:coin/history',
    summary: 'Coin history in time buckets (avg/min/max per bucket)',
    tags: ['coins', 'history'],
    params: coinParams,
    querystring: historyQuery,
    responses: { 200: coinHistoryResponse },
    errors: ['SM_API_NOT_FOUND', ...HEAVY_ERRORS],
  }),
  pools: route({
    method: 'GET',
    url: '/v1/pools',
    summary: 'Latest state of every pool:coin with its fee and Stratum endpoints (stale ones flagged)',
    description: SNAPSHOT_NOTE,
    tags: ['pools'],
    querystring: poolListQuery,
    responses: { 200: poolListResponse },
    errors: [],
  }),
  pool: route({
    method: 'GET',
    url: '/v1/pools/:poolKey',
    summary: 'Latest state of one pool:coin, with its Stratum endpoints',
    tags: ['pools'],
    params: poolParams,
    responses: { 200: poolSchema },
    errors: ['SM_API_NOT_FOUND'],
  }),
  poolHistory: route({
    method: 'GET',
    url: '/v1/pools/:poolKey/history',
    summary: 'Pool history in time buckets (avg/min/max per bucket)',
    tags: ['pools', 'history'],
    params: poolParams,
    querystring: historyQuery,
    responses: { 200: poolHistoryResponse },
    errors: ['SM_API_NOT_FOUND', ...HEAVY_ERRORS],
  }),
  hardwareList: route({
    method: 'GET',
    url: '/v1/hardware',
    summary: 'Devices with their mining performance',
    description: SNAPSHOT_NOTE,
    tags: ['hardware'],
    querystring: hardwareListQuery,
    responses: { 200: hardwareListResponse },
    errors: [],
  }),
  hardware: route({
    method: 'GET',
    url: '/v1/hardware/:hardware',
    summary: 'One device with its mining performance',
    tags: ['hardware'],
    params: hardwareParams,
    responses: { 200: hardwareSchema },
    errors: ['SM_API_NOT_FOUND'],
  }),
  ranking: route({
    method: 'GET',
    url: '/v1/ranking',
    summary: 'Targets ranked by USD/day for an algorithm set, a device, or a hashrate',
    description:
      'With `hardware`, each algorithm the device can mine is valued at its measured hashrate and power ' +
      '(only `algorithms` when both are given). Otherwise `algorithms` (default: all) at `hashrateHs` H/s ' +
      `(default 1: USD per H/s).${SNAPSHOT_NOTE}`,
    tags: ['ranking'],
    querystring: rankingQuery,
    responses: { 200: rankingResponse },
    errors: [],
  }),
  decision: route({
    method: 'GET',
    url: '/v1/decision',
    summary: 'Where to mine now: the ranked decision for a profile and a miner (a safe read: writes nothing)',
    description:
      'Give `hardware` (its measured hashrates) or `algorithms` (+ `hashrateHs`, default 1 H/s), and the ' +
      'current target with `since` so the threshold and dwell apply. Each target carries its pool, fee and ' +
      'Stratum endpoints. Nothing is logged here: a proxy reports the switch it made (POST ' +
      `/v1/reports/switches) with this answer's reason and inputs.${SNAPSHOT_NOTE} While the database is ` +
      'away the last snapshot answers (`snapshotStale: true`).',
    tags: ['decision'],
    querystring: decisionQuery,
    responses: { 200: decisionResponse },
    errors: [],
  }),
  decisions: route({
    method: 'GET',
    url: '/v1/decisions',
    summary: 'The decision log: each target change a proxy made, per route, newest first',
    tags: ['decision'],
    querystring: decisionLogQuery,
    responses: { 200: decisionLogResponse },
    errors: [],
  }),
  backtest: route({
    method: 'GET',
    url: '/v1/backtest',
    summary: 'Replay a profile over history: USD earned, switches, and the best fixed target for comparison',
    description:
      'One decision per `stepS` over [from, to), each on the market as it was then: every pool valued from ' +
      "its coin's latest history row at or before the step (older than the profile's maxDataAgeS: stale, " +
      'skipped) and its latest fee. Each decision holds until the next step; a change of algorithm costs ' +
      "the profile's switch time. The miner is `hardware` (today's measured hashrates) or `algorithms` " +
      '(+ `hashrateHs`, default 1 H/s).',
    tags: ['decision'],
    querystring: backtestQuery,
    responses: { 200: backtestResponse },
    errors: [...HEAVY_ERRORS],
  }),
  profiles: route({
    method: 'GET',
    url: '/v1/profiles',
    summary: 'Every profile, built-ins first',
    tags: ['profiles'],
    responses: { 200: profileListResponse },
    errors: [],
  }),
  profile: route({
    method: 'GET',
    url: '/v1/profiles/:name',
    summary: 'One profile; its ETag is its version',
    tags: ['profiles'],
    params: profileParams,
    responses: { 200: profileSchema },
    errors: ['SM_API_NOT_FOUND'],
  }),
  profileCreate: route({
    method: 'POST',
    url: '/v1/profiles',
    summary: 'Create a profile (the stored definition has every default filled in)',
    tags: ['profiles'],
    auth: 'admin',
    body: profileCreateBody,
    responses: { 201: profileSchema },
    errors: [...ADMIN_ERRORS, 'SM_API_PROFILE_EXISTS', 'SM_API_UNSUPPORTED_MEDIA_TYPE'],
  }),
  profileUpdate: route({
    method: 'PUT',
    url: '/v1/profiles/:name',
    summary: "Replace a user profile's definition (built-ins: 409)",
    description:
      'Send `If-Match: "<version>"` (the ETag of the profile you read) to refuse a lost update with 412.',
    tags: ['profiles'],
    auth: 'admin',
    params: profileParams,
    body: profileUpdateBody,
    responses: { 200: profileSchema },
    errors: [
      ...ADMIN_ERRORS,
      'SM_API_NOT_FOUND',
      'SM_API_BUILT_IN_PROFILE',
      'SM_API_PRECONDITION_FAILED',
      'SM_API_UNSUPPORTED_MEDIA_TYPE',
    ],
  }),
  profileDelete: route({
    method: 'DELETE',
    url: '/v1/profiles/:name',
    summary: 'Delete a user profile (built-ins: 409); If-Match as for PUT',
    tags: ['profiles'],
    auth: 'admin',
    params: profileParams,
    responses: { 204: null },
    errors: [...ADMIN_ERRORS, 'SM_API_NOT_FOUND', 'SM_API_BUILT_IN_PROFILE', 'SM_API_PRECONDITION_FAILED'],
  }),
  minersReport: route({
    method: 'POST',
    url: '/v1/reports/miners',
    summary: 'A proxy reports its miners (one bulk write; a newer report replaces older counters)',
    tags: ['reports'],
    auth: 'proxy',
    body: minersReportBody,
    responses: { 200: reportStoredResponse },
    errors: [...PROXY_ERRORS, 'SM_API_UNSUPPORTED_MEDIA_TYPE'],
  }),
  switchesReport: route({
    method: 'POST',
    url: '/v1/reports/switches',
    summary: 'A proxy reports the switches it made: the decision log (idempotent per switch)',
    tags: ['reports'],
    auth: 'proxy',
    body: switchesReportBody,
    responses: { 200: reportStoredResponse },
    errors: [...PROXY_ERRORS, 'SM_API_UNSUPPORTED_MEDIA_TYPE'],
  }),
  miners: route({
    method: 'GET',
    url: '/v1/miners',
    summary: 'Miners as last reported by the proxies',
    tags: ['reports'],
    querystring: minersQuery,
    responses: { 200: minersResponse },
    errors: [],
  }),
  switches: route({
    method: 'GET',
    url: '/v1/switches',
    summary: 'Switches reported by the proxies, newest first',
    tags: ['reports'],
    querystring: switchesQuery,
    responses: { 200: switchesResponse },
    errors: [],
  }),
  events: route({
    method: 'GET',
    url: '/v1/events',
    summary: 'Server-Sent Events: rankings changed, catch-up',
    description: EVENTS_DESCRIPTION,
    tags: ['events'],
    querystring: eventsQuery,
    responses: { 200: z.string() },
    errors: [],
    produces: ['text/event-stream'],
  }),
  health: route({
    method: 'GET',
    url: '/health',
    summary: 'Database reachability, event listener, snapshot age and the freshness of each data source',
    tags: ['operations'],
    responses: { 200: healthResponse, 503: healthResponse },
    errors: [],
  }),
  sources: route({
    method: 'GET',
    url: '/v1/sources',
    summary: 'Every data source: last run, last good run and its rows, and why it is skipped if it is',
    tags: ['operations'],
    responses: { 200: sourcesResponse },
    errors: [],
  }),
  metrics: route({
    method: 'GET',
    url: '/metrics',
    summary: 'Prometheus metrics',
    tags: ['operations'],
    responses: { 200: z.string() },
    errors: [],
    produces: ['text/plain'],
  }),
} as const;

export type RouteName = keyof typeof ROUTES;

/** What a client sends as the query of a route (numbers and booleans before the server's coercion). */
export type QueryOf<N extends RouteName> = (typeof ROUTES)[N] extends {
  querystring: infer Q extends z.ZodType;
}
  ? z.input<Q>
  : never;
/** What the server answers with on success. */
export type ResponseOf<
  N extends RouteName,
  S extends number = 200,
> = (typeof ROUTES)[N]['responses'] extends {
  [K in S]: infer R extends z.ZodType;
}
  ? z.infer<R>
  : never;
