// Routes /v1/coins: latest state of each coin, one coin, and its bucketed history.

import { ROUTES } from '@smart-mining/api-contract';
import { type CoinRow, readCoinHistory } from '@smart-mining/db';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { ApiError } from '../errors.ts';
import { ageS, historyPoints, parseAlgorithms, parseCoins, parseTimeRange } from '../query-params.ts';
import { addRoute } from '../route-schema.ts';
import { snapshotAge } from '../snapshot-age.ts';

function toCoinBody(row: CoinRow, now: Date) {
  return { ...row, dataAgeS: ageS(row.observedAt, now) };
}

async function requireCoin(ctx: AppContext, key: string, reply: FastifyReply): Promise<CoinRow> {
  const market = await ctx.market.get();
  snapshotAge(ctx, market, reply);
  const coin = market.coin(key.toUpperCase());
  if (!coin) throw ApiError.notFound(`coin ${key}`);
  return coin;
}

export function registerCoinRoutes(app: FastifyInstance, ctx: AppContext): void {
  addRoute(app, ROUTES.coins, async (request, reply) => {
    const now = ctx.now();
    const market = await ctx.market.get();
    const rows = market.coins({
      coins: parseCoins(request.query.coins),
      algorithms: parseAlgorithms(request.query.algorithms, 'querystring/algorithms'),
      includeStale: true,
    });
    const { snapshotAgeS } = snapshotAge(ctx, market, reply);
    return { snapshotAgeS, coins: rows.map((row) => toCoinBody(row, now)) };
  });

  addRoute(app, ROUTES.coin, async (request, reply) =>
    toCoinBody(await requireCoin(ctx, request.params.coin, reply), ctx.now()),
  );

  addRoute(app, ROUTES.coinHistory, async (request, reply) => {
    const range = parseTimeRange(request.query, ctx.now());
    const coin = await requireCoin(ctx, request.params.coin, reply);
    const points = await ctx.heavyReads.run((q) => readCoinHistory(q, coin.coin, range));
    return { coin: coin.coin, ...range, points: historyPoints(points) };
  });
}
