// Routes /v1/pools: latest state of each pool:coin (fee, Stratum endpoints), one pool, and its bucketed history.

import { ROUTES } from '@smart-mining/api-contract';
import { type PoolRow, readPoolHistory } from '@smart-mining/db';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { ApiError } from '../errors.ts';
import {
  ageS,
  commaValues,
  historyPoints,
  parseAlgorithms,
  parseCoins,
  parseTimeRange,
} from '../query-params.ts';
import { addRoute } from '../route-schema.ts';
import { snapshotAge } from '../snapshot-age.ts';

function toPoolBody(row: PoolRow, now: Date) {
  return { ...row, dataAgeS: ageS(row.updatedAt, now) };
}

async function requirePool(ctx: AppContext, poolKey: string, reply: FastifyReply): Promise<PoolRow> {
  const market = await ctx.market.get();
  snapshotAge(ctx, market, reply);
  const pool = market.pool(poolKey);
  if (!pool) throw ApiError.notFound(`pool ${poolKey}`);
  return pool;
}

export function registerPoolRoutes(app: FastifyInstance, ctx: AppContext): void {
  addRoute(app, ROUTES.pools, async (request, reply) => {
    const now = ctx.now();
    const market = await ctx.market.get();
    const rows = market.pools({
      poolKeys: commaValues(request.query.pools),
      coins: parseCoins(request.query.coins),
      algorithms: parseAlgorithms(request.query.algorithms, 'querystring/algorithms'),
      includeStale: true,
    });
    const { snapshotAgeS } = snapshotAge(ctx, market, reply);
    return { snapshotAgeS, pools: rows.map((row) => toPoolBody(row, now)) };
  });

  addRoute(app, ROUTES.pool, async (request, reply) =>
    toPoolBody(await requirePool(ctx, request.params.poolKey, reply), ctx.now()),
  );

  addRoute(app, ROUTES.poolHistory, async (request, reply) => {
    const range = parseTimeRange(request.query, ctx.now());
    const pool = await requirePool(ctx, request.params.poolKey, reply);
    const points = await ctx.heavyReads.run((q) => readPoolHistory(q, pool.poolKey, range));
    return { poolKey: pool.poolKey, ...range, points: historyPoints(points) };
  });
}
