// Routes /v1/decision (where to mine now, for a profile and a miner) and /v1/decisions (the change log).

import { listDecisions } from '@smart-mining/db';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { parseHashrates } from '../capability.ts';
import { decideFor } from '../decision-service.ts';
import { ApiError } from '../errors.ts';
import {
  dateTime,
  freeObject,
  minerQueryProperties,
  nullableDateTime,
  nullableNumber,
  nullableString,
  objectOf,
  responses,
} from '../json-schemas.ts';
import { type MinerQuerystring, parseAlgorithms, parseOptionalWindow } from '../query-params.ts';

const rankedSchema = objectOf({
  target: { type: 'string' },
  pool: { type: 'string' },
  coin: { type: 'string' },
  algorithm: { type: 'string' },
  hashrateHs: { type: 'number' },
  revenueUsdPerDay: { type: 'number' },
  costUsdPerDay: { type: 'number' },
  valueUsdPerDay: { type: 'number', description: "Revenue or profit, per the profile's objective" },
  dataAgeS: { type: 'number' },
});

const decisionSchema = objectOf({
  at: dateTime,
  profile: { type: 'string' },
  route: { type: 'string', description: 'Profile and miner, as logged in the decisions table' },
  current: nullableString,
  since: nullableDateTime,
  // A type list, not anyOf: anyOf makes the serializer validate every response at run time.
  chosen: { ...rankedSchema, type: ['object', 'null'] },
  switched: { type: 'boolean' },
  reason: { type: 'string' },
  dataAgeS: { ...nullableNumber, description: "Age of the chosen target's data in seconds" },
  ranked: { type: 'array', items: rankedSchema },
  excluded: { type: 'array', items: objectOf({ target: { type: 'string' }, why: { type: 'string' } }) },
  loggedDecisionId: { type: ['integer', 'null'], description: 'Set when the target changed and was logged' },
});

const logEntrySchema = objectOf({
  id: { type: 'integer' },
  at: dateTime,
  profile: { type: 'string' },
  route: { type: 'string' },
  previousTarget: nullableString,
  target: nullableString,
  expectedUsdPerDay: nullableNumber,
  reason: { type: 'string' },
  inputs: freeObject,
});

interface DecisionQuerystring extends MinerQuerystring {
  current?: string;
  since?: string;
}

function decisionRouteSchema(defaultProfile: string) {
  return {
    tags: ['decision'],
    summary: 'Where to mine now: the ranked decision for a profile and a miner',
    description:
      'Give `hardware` (its measured hashrates) or `algorithms` (+ `hashrate`, default 1 H/s), and the ' +
      'current target with `since` so the threshold and dwell apply. A change of target is logged.',
    querystring: {
      type: 'object',
      properties: {
        ...minerQueryProperties(defaultProfile),
        current: { type: 'string', minLength: 1, description: 'Pool key mined now, e.g. 2miners:ETC' },
        since: { ...dateTime, description: 'When mining `current` began (default: dwell met)' },
      },
    },
    response: responses({ 200: decisionSchema }),
  };
}

const logSchema = {
  tags: ['decision'],
  summary: 'Logged decisions (each one changed a target), newest first',
  querystring: {
    type: 'object',
    properties: {
      profile: { type: 'string', minLength: 1 },
      route: { type: 'string', minLength: 1 },
      from: dateTime,
      to: dateTime,
      limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    },
  },
  response: responses({ 200: objectOf({ decisions: { type: 'array', items: logEntrySchema } }) }),
};

type LogQuery = { profile?: string; route?: string; from?: string; to?: string; limit?: number };

function registerDecision(app: FastifyInstance, ctx: AppContext): void {
  const schema = decisionRouteSchema(ctx.decisionDefaults.profile);
  app.get<{ Querystring: DecisionQuerystring }>('/v1/decision', { schema }, async (request) => {
    const q = request.query;
    if (q.since && !q.current) throw ApiError.badParameter('querystring/since', 'needs current');
    return decideFor(
      { db: ctx.db, market: await ctx.market.get(), now: ctx.now(), defaults: ctx.decisionDefaults },
      {
        profile: q.profile,
        hardware: q.hardware,
        algorithms: parseAlgorithms(q.algorithms, 'querystring/algorithms'),
        hashratesHs: parseHashrates(q.hashrate, 'querystring/hashrate'),
        current: q.current,
        since: q.since ? new Date(q.since) : undefined,
      },
    );
  });
}

function registerDecisionLog(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: LogQuery }>('/v1/decisions', { schema: logSchema }, async (request) => {
    const q = request.query;
    const window = parseOptionalWindow(q);
    return { decisions: await listDecisions(ctx.db, { ...q, ...window, limit: q.limit ?? 100 }) };
  });
}

export function registerDecisionRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerDecision(app, ctx);
  registerDecisionLog(app, ctx);
}
