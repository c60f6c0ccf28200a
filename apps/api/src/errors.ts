// The API's errors (catalogue in api-contract) and the one place that turns any failure into {error: {code, message}}.

import { API_ERRORS, type ApiErrorCode, type ErrorBody, PATTERN_MESSAGES } from '@smart-mining/api-contract';
import { DbError } from '@smart-mining/db';
import type { FastifyError, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify';

export { API_ERRORS, type ApiErrorCode, type ErrorBody };

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

type ValidationError = FastifySchemaValidationError & { parentSchema?: { properties?: object } };

/** Fastify `schemaErrorFormatter`: the first failure, as "<location>/<path> <problem>". */
export function formatValidationError(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const first = errors[0] as ValidationError | undefined;
  if (!first) return ApiError.badParameter(dataVar, 'is invalid');
  const params = first.params as Record<string, unknown>;
  const path = `${dataVar}${first.instancePath}`;
  if (first.keyword === 'required')
    return ApiError.badParameter(`${path}/${params.missingProperty}`, 'is required');
  if (first.keyword === 'additionalProperties') {
    const unknown = String(params.additionalProperty);
    const known = Object.keys(first.parentSchema?.properties ?? {});
    const what = dataVar === 'querystring' ? 'parameter' : 'field';
    const hint = known.length > 0 ? ` (known: ${known.join(', ')})` : ` (this route takes no ${what}s)`;
    return ApiError.badParameter(`${path}/${unknown}`, `is not a known ${what}${hint}`);
  }
  return ApiError.badParameter(path, describeProblem(first.keyword, params, first.message));
}

function describeProblem(keyword: string, params: Record<string, unknown>, fallback?: string): string {
  switch (keyword) {
    case 'format':
      return params.format === 'date-time'
        ? 'must be an ISO 8601 date-time with a zone, e.g. 2026-11-25T12:00:00Z'
        : `must be a ${params.format}`;
    case 'type': {
      const types = String(params.type).split(',').join(' or ');
      return `must be ${/^[aeiou]/.test(types) ? 'an' : 'a'} ${types}`;
    }
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
      return PATTERN_MESSAGES[String(params.pattern)] ?? `must match ${params.pattern}`;
    default:
      return fallback ?? 'is invalid';
  }
}

const FRAMEWORK_CODES: Record<string, ApiErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'SM_API_PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'SM_API_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_BAD_URL: 'SM_API_BAD_REQUEST',
  FST_ERR_MAX_PARAM_LENGTH: 'SM_API_BAD_PARAMETER',
};

const FRAMEWORK_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'headers/content-type must be application/json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'body is empty; send a JSON object',
  FST_ERR_BAD_URL: 'the URL path is not valid percent-encoding (UTF-8)',
  FST_ERR_MAX_PARAM_LENGTH: 'params has a value longer than 200 characters',
};

/** Connection-level failures (server down, restarting, network): the database is unavailable. */
export function isUnavailable(error: unknown): boolean {
  const cause = error instanceof DbError ? error.cause : error;
  const code = String((cause as { code?: unknown } | undefined)?.code ?? '');
  const message = cause instanceof Error ? cause.message : '';
  return (
    /^(ECONN|ETIMEDOUT|ENOTFOUND|EPIPE|57P0|08)/.test(code) ||
    /closed|terminat|Connection|after calling end|timeout exceeded when trying to connect/i.test(message)
  );
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const fastifyError = error as Partial<FastifyError>;
  const code = fastifyError.code ?? '';
  const mapped = FRAMEWORK_CODES[code];
  const message = FRAMEWORK_MESSAGES[code] ?? fastifyError.message;
  if (mapped) return new ApiError(mapped, message ?? mapped, { cause: error });
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return new ApiError('SM_API_BAD_REQUEST', message ?? 'bad request', { cause: error });
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
  // A 401 names the scheme that would be accepted (RFC 9110 §11.6.1, Bearer per RFC 6750 §3).
  if (apiError.statusCode === 401) reply.header('www-authenticate', 'Bearer realm="smart-mining"');
  reply.code(apiError.statusCode).send(errorBody(apiError));
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply): void {
  const error = ApiError.notFound(`route ${request.method} ${request.url.split('?')[0]}`);
  reply.code(404).send(errorBody(error));
}
