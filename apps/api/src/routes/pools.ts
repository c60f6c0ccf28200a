// Routes /v1/pools: latest state of each pool:coin, one pool, and its bucketed history.

import { type PoolRow, readPoolHistory } from '@smart-mining/db';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { ApiError } from '../errors.ts';
import {
  bucketedHistorySchema,
  commaList,
  dateTime,
  freeObject,
  historyRangeQuery,
  nullableDateTime,
  nullableNumber,
  nullableString,
  objectOf,
  responses,
} from '../json-schemas.ts';
import {
  ageS,
  commaValues,
  type HistoryQuery,
  historyPoints,
  parseAlgorithms,
  parseCoins,
  parseTimeRange,
} from '../query-params.ts';

const endpointSchema = {
  type: 'object',
  properties: {
    host: { type: 'string' },
    port: { type: 'integer' },
    tls: { type: 'boolean' },
    dialect: { type: 'string' },
  },
  additionalProperties: true,
};

export const poolSchema = objectOf({
  poolKey: { type: 'string', description: '<pool>:<coin>, e.g. 2miners:ETC' },
  pool: { type: 'string' },
  coin: { type: 'string' },
  algorithm: nullableString,
  feeFraction: nullableNumber,
  hashrateHs: nullableNumber,
  miners: { type: ['integer', 'null'] },
  workers: { type: ['integer', 'null'] },
  lastBlockAt: nullableDateTime,
  blockHeight: nullableNumber,
  endpoints: { type: 'array', items: endpointSchema },
  usdPerHsDay: { ...nullableNumber, description: 'USD earned by 1 H/s in a day on this pool, after fee' },
  healthy: { type: 'boolean' },
  sources: freeObject,
  observedAt: dateTime,
  updatedAt: dateTime,
  stale: { type: 'boolean' },
  dataAgeS: { type: 'number', description: 'Seconds since updatedAt' },
});

const poolParams = objectOf({ poolKey: { type: 'string', minLength: 1 } });

const HISTORY_MEASURES = ['hashrateHs', 'miners', 'workers', 'usdPerHsDay', 'feeFraction'];
const poolHistorySchema = bucketedHistorySchema('poolKey', HISTORY_MEASURES);

function toPoolBody(row: PoolRow, now: Date) {
  return { ...row, dataAgeS: ageS(row.updatedAt, now) };
}

async function requirePool(ctx: AppContext, poolKey: string): Promise<PoolRow> {
  const pool = (await ctx.market.get()).pool(poolKey);
  if (!pool) throw ApiError.notFound(`pool ${poolKey}`);
  return pool;
}

const listSchema = {
  tags: ['pools'],
  summary: 'Latest state of every pool:coin (stale ones flagged)',
  querystring: {
    type: 'object',
    properties: {
      pools: commaList('Comma-separated pool keys, e.g. 2miners:ETC,nanopool:ETC'),
      coins: commaList('Comma-separated tickers'),
      algorithms: commaList('Comma-separated algorithms'),
    },
  },
  response: responses({ 200: objectOf({ pools: { type: 'array', items: poolSchema } }) }),
};

const oneSchema = {
  tags: ['pools'],
  summary: 'Latest state of one pool:coin',
  params: poolParams,
  response: responses({ 200: poolSchema }, ['SM_API_NOT_FOUND']),
};

const historySchema = {
  tags: ['pools', 'history'],
  summary: 'Pool history in time buckets (avg/min/max per bucket)',
  params: poolParams,
  querystring: { type: 'object', properties: historyRangeQuery },
  response: responses({ 200: poolHistorySchema }, ['SM_API_NOT_FOUND']),
};

type ListQuery = { pools?: string; coins?: string; algorithms?: string };

export function registerPoolRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: ListQuery }>('/v1/pools', { schema: listSchema }, async (request) => {
    const now = ctx.now();
    const rows = (await ctx.market.get()).pools({
      poolKeys: commaValues(request.query.pools),
      coins: parseCoins(request.query.coins),
      algorithms: parseAlgorithms(request.query.algorithms, 'querystring/algorithms'),
      includeStale: true,
    });
    return { pools: rows.map((row) => toPoolBody(row, now)) };
  });

  app.get<{ Params: { poolKey: string } }>('/v1/pools/:poolKey', { schema: oneSchema }, async (request) =>
    toPoolBody(await requirePool(ctx, request.params.poolKey), ctx.now()),
  );

  app.get<{ Params: { poolKey: string }; Querystring: HistoryQuery }>(
    '/v1/pools/:poolKey/history',
    { schema: historySchema },
    async (request) => {
      const range = parseTimeRange(request.query, ctx.now());
      const pool = await requirePool(ctx, request.params.poolKey);
      const points = await readPoolHistory(ctx.db, pool.poolKey, range);
      return {
        poolKey: pool.poolKey,
        ...range,
        points: historyPoints(points),
      };
    },
  );
}
