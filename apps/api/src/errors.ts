// Error catalogue of the API (SM_API_*) and the one place that turns any failure into {error: {code, message}}.

import { DbError } from '@smart-mining/db';
import type { FastifyError, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify';

export const API_ERRORS = {
  SM_API_BAD_PARAMETER: {
    statusCode: 400,
    summary: 'A parameter is missing or invalid; the message names it.',
  },
  SM_API_BAD_REQUEST: { statusCode: 400, summary: 'The request could not be read (body, content type).' },
  SM_API_UNAUTHORIZED: { statusCode: 401, summary: 'A bearer token is missing or wrong.' },
  SM_API_WRITES_DISABLED: { statusCode: 403, summary: 'No API token is configured, so writes are refused.' },
  SM_API_NOT_FOUND: { statusCode: 404, summary: 'No such route or resource.' },
  SM_API_PROFILE_EXISTS: { statusCode: 409, summary: 'A profile with that name exists.' },
  SM_API_BUILT_IN_PROFILE: { statusCode: 409, summary: 'Built-in profiles cannot be changed or deleted.' },
  SM_API_PAYLOAD_TOO_LARGE: { statusCode: 413, summary: 'The request body is too large.' },
  SM_API_UNSUPPORTED_MEDIA_TYPE: { statusCode: 415, summary: 'The body must be application/json.' },
  SM_API_INTERNAL: { statusCode: 500, summary: 'An unexpected failure; see the server log.' },
  SM_API_DATABASE_UNAVAILABLE: { statusCode: 503, summary: 'The database cannot be reached.' },
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly statusCode: number;
  constructor(code: ApiErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiError';
    this.code = code;
    this.statusCode = API_ERRORS[code].statusCode;
  }

  /** `parameter` is `<location>/<name>`, e.g. `querystring/from`. */
  static badParameter(parameter: string, problem: string): ApiError {
    return new ApiError('SM_API_BAD_PARAMETER', `${parameter} ${problem}`);
  }

  static notFound(what: string): ApiError {
    return new ApiError('SM_API_NOT_FOUND', `${what} not found`);
  }
}

export interface ErrorBody {
  error: { code: ApiErrorCode; message: string };
}

/** Fastify `schemaErrorFormatter`: the first failure, as "<location>/<path> <problem>". */
export function formatValidationError(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const first = errors[0];
  if (!first) return ApiError.badParameter(dataVar, 'is invalid');
  const params = first.params as Record<string, unknown>;
  const path = `${dataVar}${first.instancePath}`;
  if (first.keyword === 'required')
    return ApiError.badParameter(`${path}/${params.missingProperty}`, 'is required');
  return ApiError.badParameter(path, describeProblem(first.keyword, params, first.message));
}

function describeProblem(keyword: string, params: Record<string, unknown>, fallback?: string): string {
  switch (keyword) {
    case 'format':
      return params.format === 'date-time' ? 'must be an ISO date' : `must be a ${params.format}`;
    case 'type':
      return `must be ${/^[aeiou]/.test(String(params.type)) ? 'an' : 'a'} ${params.type}`;
    case 'enum':
      return `must be one of: ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${params.comparison} ${params.limit}`;
    case 'minLength':
      return params.limit === 1 ? 'must not be empty' : `must have at least ${params.limit} characters`;
    case 'maxLength':
      return `must have at most ${params.limit} characters`;
    case 'minItems':
      return `must have at least ${params.limit} items`;
    case 'maxItems':
      return `must have at most ${params.limit} items`;
    case 'pattern':
      return `must match ${params.pattern}`;
    default:
      return fallback ?? 'is invalid';
  }
}

const FRAMEWORK_CODES: Record<string, ApiErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'SM_API_PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'SM_API_UNSUPPORTED_MEDIA_TYPE',
};

/** Connection-level failures (server down, restarting, network): the database is unavailable. */
function isUnavailable(error: unknown): boolean {
  const cause = error instanceof DbError ? error.cause : error;
  const code = String((cause as { code?: unknown } | undefined)?.code ?? '');
  const message = cause instanceof Error ? cause.message : '';
  return (
    /^(ECONN|ETIMEDOUT|ENOTFOUND|EPIPE|57P0|08)/.test(code) ||
    /closed|terminat|Connection|after calling end/i.test(message)
  );
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const fastifyError = error as Partial<FastifyError>;
  const mapped = fastifyError.code ? FRAMEWORK_CODES[fastifyError.code] : undefined;
  if (mapped) return new ApiError(mapped, fastifyError.message ?? mapped, { cause: error });
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return new ApiError('SM_API_BAD_REQUEST', fastifyError.message ?? 'bad request', { cause: error });
  }
  if (isUnavailable(error)) {
    return new ApiError('SM_API_DATABASE_UNAVAILABLE', 'the database cannot be reached', { cause: error });
  }
  return new ApiError('SM_API_INTERNAL', 'internal error', { cause: error });
}

export function errorBody(error: ApiError): ErrorBody {
  return { error: { code: error.code, message: error.message } };
}

export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const apiError = toApiError(error);
  if (apiError.statusCode >= 500) request.log.error({ err: error }, apiError.message);
  reply.code(apiError.statusCode).send(errorBody(apiError));
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply): void {
  const error = ApiError.notFound(`route ${request.method} ${request.url.split('?')[0]}`);
  reply.code(404).send(errorBody(error));
}
