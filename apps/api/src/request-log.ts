// One log line per HTTP request, when it ends: debug for ordinary ones (health polls), info for errors and slow ones.

import type { FastifyInstance, FastifyServerOptions } from 'fastify';

/** A request slower than this is logged at info. */
export const SLOW_REQUEST_MS = 1000;

/** Fastify's own logging writes two info lines per request; this module writes one instead. */
export const requestLogOptions = { disableRequestLogging: true } satisfies FastifyServerOptions;

export function registerRequestLog(app: FastifyInstance, options: { slowMs?: number } = {}): void {
  const slowMs = options.slowMs ?? SLOW_REQUEST_MS;
  app.addHook('onResponse', async (request, reply) => {
    const durationMs = Math.round(reply.elapsedTime);
    const status = reply.statusCode;
    const level = status >= 400 || durationMs >= slowMs ? 'info' : 'debug';
    request.log[level](
      { method: request.method, url: request.url, status, durationMs },
      `${request.method} ${request.url} ${status} ${durationMs} ms`,
    );
  });
}
