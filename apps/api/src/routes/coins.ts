// Routes /v1/coins: latest state of each coin, one coin, and its bucketed history.

import { type CoinRow, readCoinHistory } from '@smart-mining/db';
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
  objectOf,
  responses,
} from '../json-schemas.ts';
import {
  ageS,
  type HistoryQuery,
  historyPoints,
  parseAlgorithms,
  parseCoins,
  parseTimeRange,
} from '../query-params.ts';

export const coinSchema = objectOf({
  coin: { type: 'string', description: 'Uppercase ticker' },
  name: { type: 'string' },
  algorithm: { type: 'string' },
  blockTimeS: nullableNumber,
  blockReward: nullableNumber,
  difficulty: nullableNumber,
  networkHashrateHs: nullableNumber,
  priceUsd: nullableNumber,
  volume24hUsd: nullableNumber,
  usdPerHsDay: { ...nullableNumber, description: 'USD earned by 1 H/s in a day, before pool fee' },
  priceTrusted: { type: 'boolean' },
  trusted: { type: 'boolean' },
  sources: { ...freeObject, description: 'Which source gave which value' },
  observedAt: dateTime,
  priceUpdatedAt: nullableDateTime,
  networkUpdatedAt: nullableDateTime,
  updatedAt: dateTime,
  stale: { type: 'boolean' },
  dataAgeS: { type: 'number', description: 'Seconds since observedAt' },
});

const coinParams = objectOf({ coin: { type: 'string', minLength: 1 } });

const HISTORY_MEASURES = ['priceUsd', 'usdPerHsDay', 'difficulty', 'networkHashrateHs', 'volume24hUsd'];
const coinHistorySchema = bucketedHistorySchema('coin', HISTORY_MEASURES);

function toCoinBody(row: CoinRow, now: Date) {
  return { ...row, dataAgeS: ageS(row.observedAt, now) };
}

async function requireCoin(ctx: AppContext, key: string): Promise<CoinRow> {
  const coin = (await ctx.market.get()).coin(key.toUpperCase());
  if (!coin) throw ApiError.notFound(`coin ${key}`);
  return coin;
}

const listSchema = {
  tags: ['coins'],
  summary: 'Latest state of every coin (stale ones flagged)',
  querystring: {
    type: 'object',
    properties: {
      coins: commaList('Comma-separated tickers, e.g. ETC,RVN'),
      algorithms: commaList('Comma-separated algorithms, e.g. etchash,kawpow'),
    },
  },
  response: responses({ 200: objectOf({ coins: { type: 'array', items: coinSchema } }) }),
};

const oneSchema = {
  tags: ['coins'],
  summary: 'Latest state of one coin',
  params: coinParams,
  response: responses({ 200: coinSchema }, ['SM_API_NOT_FOUND']),
};

const historySchema = {
  tags: ['coins', 'history'],
  summary: 'Coin history in time buckets (avg/min/max per bucket)',
  params: coinParams,
  querystring: { type: 'object', properties: historyRangeQuery },
  response: responses({ 200: coinHistorySchema }, ['SM_API_NOT_FOUND']),
};

export function registerCoinRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: { coins?: string; algorithms?: string } }>(
    '/v1/coins',
    { schema: listSchema },
    async (request) => {
      const now = ctx.now();
      const rows = (await ctx.market.get()).coins({
        coins: parseCoins(request.query.coins),
        algorithms: parseAlgorithms(request.query.algorithms, 'querystring/algorithms'),
        includeStale: true,
      });
      return { coins: rows.map((row) => toCoinBody(row, now)) };
    },
  );

  app.get<{ Params: { coin: string } }>('/v1/coins/:coin', { schema: oneSchema }, async (request) =>
    toCoinBody(await requireCoin(ctx, request.params.coin), ctx.now()),
  );

  app.get<{ Params: { coin: string }; Querystring: HistoryQuery }>(
    '/v1/coins/:coin/history',
    { schema: historySchema },
    async (request) => {
      const range = parseTimeRange(request.query, ctx.now());
      const coin = await requireCoin(ctx, request.params.coin);
      const points = await readCoinHistory(ctx.db, coin.coin, range);
      return {
        coin: coin.coin,
        ...range,
        points: historyPoints(points),
      };
    },
  );
}
