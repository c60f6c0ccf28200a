// Routes for proxy reports: POST miner stats and switches (token), GET /v1/miners and /v1/switches (public).

import { insertSwitchEvents, listMinerStats, listSwitchEvents, upsertMinerStats } from '@smart-mining/db';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import {
  dateTime,
  nullableDateTime,
  nullableNumber,
  nullableString,
  objectOf,
  responses,
} from '../json-schemas.ts';
import { parseOptionalWindow } from '../query-params.ts';

const name = { type: 'string', minLength: 1, maxLength: 200 };
const optionalName = { type: ['string', 'null'], maxLength: 200 };
const count = { type: 'integer', minimum: 0 };
const MAX_ITEMS = 10_000;

const minerReportSchema = objectOf(
  {
    miner: { ...name, description: 'ACCOUNT.WORKER or wallet.worker as logged in' },
    poolKey: name,
    profile: optionalName,
    hardware: optionalName,
    algorithm: optionalName,
    connectedAt: nullableDateTime,
    accepted: count,
    rejected: count,
    stale: count,
    hashrateHs: { type: ['number', 'null'], minimum: 0 },
    usdPerDay: nullableNumber,
  },
  ['miner', 'poolKey', 'accepted', 'rejected', 'stale'],
);

const minerStatsSchema = objectOf({
  proxy: { type: 'string' },
  miner: { type: 'string' },
  poolKey: { type: 'string' },
  profile: nullableString,
  hardware: nullableString,
  algorithm: nullableString,
  connectedAt: nullableDateTime,
  accepted: { type: 'number' },
  rejected: { type: 'number' },
  stale: { type: 'number' },
  hashrateHs: nullableNumber,
  usdPerDay: nullableNumber,
  reportedAt: dateTime,
});

const switchReportSchema = objectOf(
  {
    at: dateTime,
    miner: name,
    fromTarget: optionalName,
    toTarget: name,
    reason: { type: 'string', maxLength: 2000 },
  },
  ['at', 'miner', 'toTarget', 'reason'],
);

const switchSchema = objectOf({
  id: { type: 'integer' },
  at: dateTime,
  proxy: { type: 'string' },
  miner: { type: 'string' },
  fromTarget: nullableString,
  toTarget: { type: 'string' },
  reason: { type: 'string' },
});

const stored = responses({ 200: objectOf({ stored: { type: 'integer' } }) }, [
  'SM_API_UNAUTHORIZED',
  'SM_API_WRITES_DISABLED',
]);
const security = [{ bearerAuth: [] }];

type MinerReport = {
  miner: string;
  poolKey: string;
  profile?: string | null;
  hardware?: string | null;
  algorithm?: string | null;
  connectedAt?: string | null;
  accepted: number;
  rejected: number;
  stale: number;
  hashrateHs?: number | null;
  usdPerDay?: number | null;
};
type SwitchReport = {
  at: string;
  miner: string;
  fromTarget?: string | null;
  toTarget: string;
  reason: string;
};

const minersReportRoute = {
  tags: ['reports'],
  summary: 'A proxy reports its miners (counters since connectedAt; replaces the previous report)',
  security,
  body: objectOf(
    {
      proxy: name,
      reportedAt: dateTime,
      miners: { type: 'array', items: minerReportSchema, maxItems: MAX_ITEMS },
    },
    ['proxy', 'miners'],
  ),
  response: stored,
};

const switchesReportRoute = {
  tags: ['reports'],
  summary: 'A proxy reports the switches it made',
  security,
  body: objectOf({
    proxy: name,
    switches: { type: 'array', items: switchReportSchema, maxItems: MAX_ITEMS },
  }),
  response: stored,
};

const minersRoute = {
  tags: ['reports'],
  summary: 'Miners as last reported by the proxies',
  querystring: {
    type: 'object',
    properties: { proxy: name, miner: name, since: { ...dateTime, description: 'Reported at or after' } },
  },
  response: responses({ 200: objectOf({ miners: { type: 'array', items: minerStatsSchema } }) }),
};

const switchesRoute = {
  tags: ['reports'],
  summary: 'Switches reported by the proxies, newest first',
  querystring: {
    type: 'object',
    properties: {
      proxy: name,
      miner: name,
      from: dateTime,
      to: dateTime,
      limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    },
  },
  response: responses({ 200: objectOf({ switches: { type: 'array', items: switchSchema } }) }),
};

type MinersBody = { proxy: string; reportedAt?: string; miners: MinerReport[] };
type SwitchesBody = { proxy: string; switches: SwitchReport[] };
type SwitchesQuery = { proxy?: string; miner?: string; from?: string; to?: string; limit?: number };

function registerReportWrites(app: FastifyInstance, ctx: AppContext): void {
  const preHandler = ctx.requireToken;
  app.post<{ Body: MinersBody }>(
    '/v1/reports/miners',
    { preHandler, schema: minersReportRoute },
    async (request) => {
      const { proxy, miners } = request.body;
      const reportedAt = request.body.reportedAt ? new Date(request.body.reportedAt) : ctx.now();
      const rows = miners.map((m) => ({
        ...m,
        proxy,
        reportedAt,
        connectedAt: m.connectedAt ? new Date(m.connectedAt) : null,
      }));
      await ctx.db.transaction((tx) => upsertMinerStats(tx, rows));
      return { stored: rows.length };
    },
  );

  app.post<{ Body: SwitchesBody }>(
    '/v1/reports/switches',
    { preHandler, schema: switchesReportRoute },
    async (request) => {
      const { proxy, switches } = request.body;
      const events = switches.map((s) => ({
        ...s,
        proxy,
        at: new Date(s.at),
        fromTarget: s.fromTarget ?? null,
      }));
      await ctx.db.transaction((tx) => insertSwitchEvents(tx, events));
      return { stored: events.length };
    },
  );
}

function registerReportReads(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: { proxy?: string; miner?: string; since?: string } }>(
    '/v1/miners',
    { schema: minersRoute },
    async (request) => {
      const { proxy, miner, since } = request.query;
      return {
        miners: await listMinerStats(ctx.db, { proxy, miner, since: since ? new Date(since) : undefined }),
      };
    },
  );

  app.get<{ Querystring: SwitchesQuery }>('/v1/switches', { schema: switchesRoute }, async (request) => {
    const q = request.query;
    const window = parseOptionalWindow(q);
    return { switches: await listSwitchEvents(ctx.db, { ...q, ...window, limit: q.limit ?? 100 }) };
  });
}

export function registerReportRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerReportWrites(app, ctx);
  registerReportReads(app, ctx);
}
