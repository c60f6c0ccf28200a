// Routes /v1/hardware: devices with their mining performance per algorithm (hashrate, power, USD/day).

import { type HardwareRow, listHardware, listHardwareMining } from '@smart-mining/db';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { ApiError } from '../errors.ts';
import { commaList, dateTime, nullableNumber, nullableString, objectOf, responses } from '../json-schemas.ts';
import { commaValues, parseAlgorithms } from '../query-params.ts';

const KINDS = ['gpu', 'cpu', 'asic', 'fpga'];

const miningSchema = objectOf({
  algorithm: { type: 'string' },
  hashrateHs: { type: 'number' },
  powerW: nullableNumber,
  source: { type: 'string' },
  bestCoin: nullableString,
  revenueUsdPerDay: nullableNumber,
  costUsdPerDay: nullableNumber,
  profitUsdPerDay: nullableNumber,
  updatedAt: dateTime,
});

export const hardwareSchema = objectOf({
  hardware: { type: 'string', description: 'Hardware key, e.g. nvidia-rtx-3080' },
  name: { type: 'string' },
  vendor: { type: 'string' },
  kind: { type: 'string', enum: KINDS },
  memoryGb: nullableNumber,
  tdpW: nullableNumber,
  updatedAt: dateTime,
  mining: { type: 'array', items: miningSchema, description: 'Per algorithm, best revenue first' },
});

async function withMining(ctx: AppContext, devices: HardwareRow[]) {
  if (devices.length === 0) return [];
  const mining = await listHardwareMining(ctx.db, { hardware: devices.map((d) => d.hardware) });
  return devices.map((device) => ({
    ...device,
    mining: mining.filter((m) => m.hardware === device.hardware),
  }));
}

function parseKinds(value: string | undefined): string[] | undefined {
  const kinds = commaValues(value)?.map((k) => k.toLowerCase());
  const unknown = kinds?.filter((k) => !KINDS.includes(k)) ?? [];
  if (unknown.length > 0) {
    throw ApiError.badParameter(
      'querystring/kinds',
      `must list ${KINDS.join(', ')}; unknown: ${unknown.join(', ')}`,
    );
  }
  return kinds;
}

const listSchema = {
  tags: ['hardware'],
  summary: 'Devices with their mining performance',
  querystring: {
    type: 'object',
    properties: {
      kinds: commaList(`Comma-separated kinds: ${KINDS.join(', ')}`),
      vendors: commaList('Comma-separated vendors (case-insensitive)'),
      algorithms: commaList('Only devices that can mine one of these algorithms'),
    },
  },
  response: responses({ 200: objectOf({ hardware: { type: 'array', items: hardwareSchema } }) }),
};

const oneSchema = {
  tags: ['hardware'],
  summary: 'One device with its mining performance',
  params: objectOf({ hardware: { type: 'string', minLength: 1 } }),
  response: responses({ 200: hardwareSchema }, ['SM_API_NOT_FOUND']),
};

type ListQuery = { kinds?: string; vendors?: string; algorithms?: string };

export function registerHardwareRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: ListQuery }>('/v1/hardware', { schema: listSchema }, async (request) => {
    const devices = await listHardware(ctx.db, {
      kinds: parseKinds(request.query.kinds),
      vendors: commaValues(request.query.vendors),
      algorithms: parseAlgorithms(request.query.algorithms, 'querystring/algorithms'),
    });
    return { hardware: await withMining(ctx, devices) };
  });

  app.get<{ Params: { hardware: string } }>(
    '/v1/hardware/:hardware',
    { schema: oneSchema },
    async (request) => {
      const [device] = await withMining(
        ctx,
        await listHardware(ctx.db, { hardware: [request.params.hardware] }),
      );
      if (!device) throw ApiError.notFound(`hardware ${request.params.hardware}`);
      return device;
    },
  );
}
