// Serves the built dashboard (apps/dashboard/dist) at / beside the JSON routes (/v1, /health, /metrics, /docs).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const DASHBOARD_NOT_BUILT =
  'dashboard not built: run `npm run build:dashboard` (npm ci does it) and restart';

/**
 * Registers one route per built file (no catch-all, so unknown paths keep the API's JSON 404). Vite's
 * hashed files under /assets/ never change; index.html is revalidated so a rebuild shows at once.
 */
export async function registerDashboard(app: FastifyInstance, dir: string | undefined): Promise<void> {
  if (!dir) return;
  if (!existsSync(join(dir, 'index.html'))) {
    app.log.warn({ dir }, DASHBOARD_NOT_BUILT);
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply.code(503).type('text/plain; charset=utf-8').send(DASHBOARD_NOT_BUILT),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    wildcard: false,
    // @fastify/swagger-ui registers its own instance; only one may decorate the reply.
    decorateReply: false,
    cacheControl: false,
    setHeaders: (res, path) => {
      const immutable = path.startsWith(join(dir, 'assets'));
      res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
