// Route /v1: what this API is and where its documentation lives (no database; also the benchmarks' baseline).

import { ROUTES } from '@smart-mining/api-contract';
import type { FastifyInstance } from 'fastify';
import { addRoute } from '../route-schema.ts';

export function registerApiIndexRoute(app: FastifyInstance): void {
  addRoute(app, ROUTES.index, async () => ({ name: 'smart-mining', version: '1', docs: '/docs' }));
}
