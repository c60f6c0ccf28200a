// One log line per HTTP request, when it ends: debug for ordinary ones (health polls), info for errors and slow
// ones. Fastify's default is two info lines per request (received, completed).

import { type FastifyReply, type FastifyRequest, type FastifyServerOptions, LogController } from 'fastify';

/** A request slower than this is logged at info. */
export const SLOW_REQUEST_MS = 1000;

export class RequestLogController extends LogController {
  readonly #slowMs: number;

  constructor(options: { slowMs?: number } = {}) {
    super();
    this.#slowMs = options.slowMs ?? SLOW_REQUEST_MS;
  }

  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const durationMs = Math.round(reply.elapsedTime);
    const status = reply.statusCode;
    const fields = { method: request.method, url: request.url, status, durationMs };
    const line = `${request.method} ${request.url} ${status} ${durationMs} ms`;
    if (error) reply.log.error({ ...fields, err: error }, line);
    else if (status >= 400 || durationMs >= this.#slowMs) reply.log.info(fields, line);
    else reply.log.debug(fields, line);
  }
}

/** Spread into Fastify's options. */
export const requestLogOptions = { logController: new RequestLogController() } satisfies FastifyServerOptions;
