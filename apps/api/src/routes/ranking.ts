// Route /v1/ranking: profitability ranking by algorithm(s), by hardware, or for a given hashrate.

import { ROUTES } from '@smart-mining/api-contract';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { resolveCapability } from '../capability.ts';
import { parseAlgorithms, parseHashrates } from '../query-params.ts';
import { rankTargets } from '../ranking-service.ts';
import { addRoute } from '../route-schema.ts';
import { snapshotAge } from '../snapshot-age.ts';

export function registerRankingRoutes(app: FastifyInstance, ctx: AppContext): void {
  addRoute(app, ROUTES.ranking, async (request, reply) => {
    const q = request.query;
    const now = ctx.now();
    const market = await ctx.market.get();
    const capability = resolveCapability(
      market,
      {
        hardware: q.hardware,
        algorithms: parseAlgorithms(q.algorithms, 'querystring/algorithms'),
        hashratesHs: parseHashrates(q.hashrateHs, 'querystring/hashrateHs'),
      },
      { defaultHashrateHs: 1, allowAll: true },
    );
    const ranking = rankTargets(market, {
      capability,
      electricityUsdPerKwh: q.electricityUsdPerKwh,
      includeStale: q.includeStale,
      limit: q.limit,
      now,
    });
    const { snapshotAgeS } = snapshotAge(ctx, market, reply);
    const electricityUsdPerKwh = q.electricityUsdPerKwh;
    return { at: now, snapshotAgeS, hardware: capability.hardware ?? null, electricityUsdPerKwh, ranking };
  });
}
