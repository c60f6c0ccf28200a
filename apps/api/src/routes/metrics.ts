// Route /metrics: the Prometheus text exposition of the app's registry.

import { ROUTES } from '@smart-mining/api-contract';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { addRoute } from '../route-schema.ts';

export function registerMetricsRoutes(app: FastifyInstance, registry: Registry): void {
  addRoute(app, ROUTES.metrics, async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
