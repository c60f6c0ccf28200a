// Route /v1/events: the Server-Sent Events stream (ids, Last-Event-ID resume, catch-up), see event-hub.ts.

import { ROUTES } from '@smart-mining/api-contract';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { ApiError } from '../errors.ts';
import { EVENT_STREAM_TYPE } from '../event-hub.ts';
import { addRoute } from '../route-schema.ts';

/**
 * The Last-Event-ID header (what EventSource sends on reconnect), else `?lastEventId=`. An empty header is
 * no id: EventSource's last event ID is empty until an event set one (WHATWG HTML, server-sent events).
 */
function lastEventId(header: string | string[] | undefined, query: number | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return query;
  const id = Number(value);
  if (!/^\d{1,16}$/.test(value.trim()) || !Number.isSafeInteger(id)) {
    throw ApiError.badParameter('headers/last-event-id', 'must be an event id (a non-negative integer)');
  }
  return id;
}

export function registerEventRoutes(app: FastifyInstance, ctx: AppContext): void {
  addRoute(app, ROUTES.events, (request, reply) => {
    const resumeFrom = lastEventId(request.headers['last-event-id'], request.query.lastEventId);
    // HEAD (Fastify answers it with the GET handler) gets the stream's headers alone: a stream would never end.
    if (request.method === 'HEAD') {
      reply.header('content-type', EVENT_STREAM_TYPE).header('cache-control', 'no-cache').send();
      return;
    }
    // The stream outlives the handler: Fastify hands the socket over and the hub writes to it.
    reply.hijack();
    ctx.events.add(reply.raw, resumeFrom);
    request.log.debug({ clients: ctx.events.state.clients, resumeFrom }, 'events client connected');
  });
}
