// Route /v1/backtest: replays a profile over coin and pool history and compares it with the best fixed target.

import { ROUTES } from '@smart-mining/api-contract';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { runBacktest } from '../backtest-service.ts';
import { parseAlgorithms, parseHashrates } from '../query-params.ts';
import { addRoute } from '../route-schema.ts';

export function registerBacktestRoutes(app: FastifyInstance, ctx: AppContext): void {
  addRoute(app, ROUTES.backtest, async (request) => {
    const q = request.query;
    const market = await ctx.market.get();
    return ctx.heavyReads.run((db) =>
      runBacktest(
        { db, market, defaults: ctx.decisionDefaults },
        {
          profile: q.profile,
          hardware: q.hardware,
          algorithms: parseAlgorithms(q.algorithms, 'querystring/algorithms'),
          hashratesHs: parseHashrates(q.hashrateHs, 'querystring/hashrateHs'),
          from: new Date(q.from),
          to: new Date(q.to),
          stepS: q.stepS,
        },
      ),
    );
  });
}
