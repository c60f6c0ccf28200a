// Route /v1: what this API is and where its documentation lives (no database; also the benchmarks' baseline).

import type { FastifyInstance } from 'fastify';

export function registerApiIndexRoute(app: FastifyInstance): void {
  app.get(
    '/v1',
    {
      schema: {
        tags: ['operations'],
        summary: 'API name, version and documentation address',
        response: {
          200: {
            type: 'object',
            required: ['name', 'version', 'docs'],
            properties: { name: { type: 'string' }, version: { type: 'string' }, docs: { type: 'string' } },
          },
        },
      },
    },
    async () => ({ name: 'smart-mining', version: '1', docs: '/docs' }),
  );
}
