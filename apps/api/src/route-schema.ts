// A contract route (packages/api-contract) as Fastify route options: JSON Schemas for validation, fast
// serialization and the OpenAPI document, all generated from the route's zod schemas.

import {
  API_ERRORS,
  type ApiErrorCode,
  errorBodySchema,
  type RouteContract,
  toJsonSchema,
} from '@smart-mining/api-contract';
import type {
  FastifyInstance,
  FastifyRequest,
  HTTPMethods,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RequestPayload,
  RouteGenericInterface,
  RouteHandlerMethod,
} from 'fastify';
import { z } from 'zod';
import { ApiError } from './errors.ts';

/** Every route may refuse bad input (400) and may find the database away (503). */
const ALWAYS: ApiErrorCode[] = ['SM_API_BAD_PARAMETER', 'SM_API_DATABASE_UNAVAILABLE'];

const errorJsonSchema = toJsonSchema(errorBodySchema, 'output');
const NO_QUERY = z.strictObject({});

export interface ContractRouteOptions {
  method: HTTPMethods;
  url: string;
  schema: Record<string, unknown>;
}

export function routeOptions(contract: RouteContract): ContractRouteOptions {
  const response: Record<string, unknown> = {};
  const bodyErrors: ApiErrorCode[] = contract.body
    ? ['SM_API_PAYLOAD_TOO_LARGE', 'SM_API_UNSUPPORTED_MEDIA_TYPE']
    : [];
  for (const code of [...ALWAYS, ...bodyErrors, ...contract.errors]) {
    response[String(API_ERRORS[code].statusCode)] = errorJsonSchema;
  }
  for (const [status, body] of Object.entries(contract.responses)) {
    if (!body) response[status] = { type: 'null', description: 'No body' };
    else if (!contract.produces) response[status] = toJsonSchema(body, 'output');
    // Text answers (SSE, Prometheus) are documented by media type; their errors stay JSON.
    else
      response[status] = {
        content: Object.fromEntries(
          contract.produces.map((m) => [m, { schema: toJsonSchema(body, 'output') }]),
        ),
      };
  }
  const schema: Record<string, unknown> = {
    tags: [...contract.tags],
    summary: contract.summary,
    response,
  };
  if (contract.description) schema.description = contract.description;
  if (contract.params) schema.params = toJsonSchema(contract.params, 'input');
  // A route without query parameters still refuses unknown ones.
  schema.querystring = toJsonSchema(contract.querystring ?? NO_QUERY, 'input');
  if (contract.body) schema.body = toJsonSchema(contract.body, 'input');
  if (contract.auth) schema.security = [{ [contract.auth === 'admin' ? 'adminToken' : 'proxyToken']: [] }];
  return { method: contract.method, url: contract.url, schema };
}

type Out<S> = S extends z.ZodType ? z.output<S> : unknown;

/** The request types of a contract route, as Fastify hands them to the handler (defaults filled in). */
export interface ContractRequest<C extends RouteContract> extends RouteGenericInterface {
  Querystring: Out<C['querystring']>;
  Params: Out<C['params']>;
  Body: Out<C['body']>;
}

/** Registers `handler` for the contract route, with its schemas (and any extra route options). */
export function addRoute<C extends RouteContract>(
  app: FastifyInstance,
  contract: C,
  handler: RouteHandlerMethod<
    RawServerDefault,
    RawRequestDefaultExpression,
    RawReplyDefaultExpression,
    ContractRequest<C>
  >,
  /**
   * `onRequest`: a guard, run before the body is read or validated, so a request without the right token gets its
   * 401 or 403 (not a 400 about its body), and an anonymous body is never parsed.
   */
  extra: { onRequest?: (request: FastifyRequest) => Promise<void>; bodyLimit?: number } = {},
): void {
  const preParsing = contract.body ? refuseEncodedBody : undefined;
  app.route<ContractRequest<C>>({ ...routeOptions(contract), ...extra, preParsing, handler });
}

/**
 * Bodies are read as sent: a compressed one would be refused as "not valid JSON", which misleads its
 * sender, so any content coding but identity is refused as unsupported (RFC 9110 §15.5.16).
 */
function refuseEncodedBody(
  request: FastifyRequest,
  _reply: unknown,
  payload: RequestPayload,
  done: (error: Error | null, payload?: RequestPayload) => void,
): void {
  const coding = request.headers['content-encoding']?.trim().toLowerCase();
  if (coding && coding !== 'identity') {
    done(
      new ApiError(
        'SM_API_UNSUPPORTED_MEDIA_TYPE',
        `headers/content-encoding ${coding} is not supported: send the JSON body uncompressed`,
      ),
    );
    return;
  }
  done(null, payload);
}
