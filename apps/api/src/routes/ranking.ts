// Route /v1/ranking: profitability ranking by algorithm(s), by hardware, or for a given hashrate.

import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { parseHashrates, resolveCapability } from '../capability.ts';
import { commaList, nullableNumber, nullableString, objectOf, responses } from '../json-schemas.ts';
import { parseAlgorithms } from '../query-params.ts';
import { rankTargets } from '../ranking-service.ts';

const entrySchema = objectOf({
  rank: { type: 'integer' },
  target: { type: 'string', description: 'Pool key, or the coin ticker when no pool is known' },
  pool: nullableString,
  coin: { type: 'string' },
  algorithm: { type: 'string' },
  feeFraction: { type: 'number' },
  usdPerHsDay: { type: 'number', description: 'Gross USD of 1 H/s for a day, before fee' },
  hashrateHs: { type: 'number' },
  powerW: nullableNumber,
  revenueUsdPerDay: { type: 'number' },
  costUsdPerDay: { type: 'number' },
  profitUsdPerDay: { type: 'number' },
  dataAgeS: { type: 'number' },
  trusted: { type: 'boolean' },
  stale: { type: 'boolean' },
});

interface RankingQuerystring {
  algorithms?: string;
  hardware?: string;
  hashrate?: string;
  electricityUsdPerKwh?: number;
  includeStale?: boolean;
  limit?: number;
}

const rankingSchema = {
  tags: ['ranking'],
  summary: 'Targets ranked by USD/day for an algorithm set, a device, or a hashrate',
  description:
    'With `hardware`, each algorithm the device can mine is valued at its measured hashrate and power ' +
    '(only `algorithms` when both are given). Otherwise `algorithms` (default: all) at `hashrate` H/s ' +
    '(default 1: USD per H/s).',
  querystring: {
    type: 'object',
    properties: {
      algorithms: commaList('Comma-separated algorithms, e.g. kawpow,etchash'),
      hardware: { type: 'string', minLength: 1, description: 'Hardware key, e.g. nvidia-rtx-3080' },
      hashrate: commaList('H/s: one value, or one per algorithm (comma-separated)'),
      electricityUsdPerKwh: { type: 'number', minimum: 0, default: 0 },
      includeStale: { type: 'boolean', default: false },
      limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    },
  },
  response: responses({
    200: objectOf({
      at: { type: 'string', format: 'date-time' },
      hardware: nullableString,
      electricityUsdPerKwh: { type: 'number' },
      ranking: { type: 'array', items: entrySchema },
    }),
  }),
};

export function registerRankingRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: RankingQuerystring }>('/v1/ranking', { schema: rankingSchema }, async (request) => {
    const q = request.query;
    const now = ctx.now();
    const market = await ctx.market.get();
    const capability = resolveCapability(
      market,
      {
        hardware: q.hardware,
        algorithms: parseAlgorithms(q.algorithms, 'querystring/algorithms'),
        hashratesHs: parseHashrates(q.hashrate, 'querystring/hashrate'),
      },
      { defaultHashrateHs: 1, allowAll: true },
    );
    const electricityUsdPerKwh = q.electricityUsdPerKwh ?? 0;
    const ranking = rankTargets(market, {
      capability,
      electricityUsdPerKwh,
      includeStale: q.includeStale ?? false,
      limit: q.limit ?? 100,
      now,
    });
    return { at: now, hardware: capability.hardware ?? null, electricityUsdPerKwh, ranking };
  });
}
