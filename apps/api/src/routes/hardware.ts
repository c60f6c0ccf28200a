// Routes /v1/hardware: devices with their mining performance per algorithm (hashrate, power, USD/day).

import { HARDWARE_KINDS, ROUTES } from '@smart-mining/api-contract';
import type { HardwareRow } from '@smart-mining/db';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { ApiError } from '../errors.ts';
import type { MarketSnapshot } from '../market-cache.ts';
import { commaValues, parseAlgorithms } from '../query-params.ts';
import { addRoute } from '../route-schema.ts';
import { snapshotAge } from '../snapshot-age.ts';

function withMining(market: MarketSnapshot, device: HardwareRow) {
  return { ...device, mining: market.mining(device.hardware) };
}

function parseKinds(value: string | undefined): string[] | undefined {
  const kinds = commaValues(value)?.map((k) => k.toLowerCase());
  const unknown = kinds?.filter((k) => !(HARDWARE_KINDS as readonly string[]).includes(k)) ?? [];
  if (unknown.length > 0) {
    throw ApiError.badParameter(
      'querystring/kinds',
      `must list ${HARDWARE_KINDS.join(', ')}; unknown: ${unknown.join(', ')}`,
    );
  }
  return kinds;
}

export function registerHardwareRoutes(app: FastifyInstance, ctx: AppContext): void {
  addRoute(app, ROUTES.hardwareList, async (request, reply) => {
    const market = await ctx.market.get();
    const devices = market.devices({
      kinds: parseKinds(request.query.kinds),
      vendors: commaValues(request.query.vendors),
      algorithms: parseAlgorithms(request.query.algorithms, 'querystring/algorithms'),
    });
    const { snapshotAgeS } = snapshotAge(ctx, market, reply);
    return { snapshotAgeS, hardware: devices.map((d) => withMining(market, d)) };
  });

  addRoute(app, ROUTES.hardware, async (request, reply) => {
    const market = await ctx.market.get();
    snapshotAge(ctx, market, reply);
    const device = market.device(request.params.hardware);
    if (!device) throw ApiError.notFound(`hardware ${request.params.hardware}`);
    return withMining(market, device);
  });
}
