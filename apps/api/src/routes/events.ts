// Route /v1/events: a Server-Sent Events stream announcing "rankings-changed" after each ingest.

import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { RANKINGS_EVENT } from '../events.ts';

export function registerEventRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/v1/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Server-Sent Events: rankings changed',
        description:
          `Each ingest sends \`event: ${RANKINGS_EVENT}\` with \`data: {"ingestedAt": "<ISO date>"}\`; ` +
          'a comment line every 15 s keeps the connection open. Re-ask GET /v1/decision on each event.',
        produces: ['text/event-stream'],
      },
    },
    (request, reply) => {
      // The stream outlives the handler: Fastify hands the socket over and the hub writes to it.
      reply.hijack();
      ctx.events.add(reply.raw);
      request.log.debug({ clients: ctx.events.clientCount }, 'events client connected');
    },
  );
}
