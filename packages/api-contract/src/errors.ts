// The API's error catalogue (SM_API_*) and the one error body every failure answers with.

import { z } from 'zod';

export const API_ERRORS = {
  SM_API_BAD_PARAMETER: {
    statusCode: 400,
    summary: 'A parameter is missing, unknown or invalid; the message names it.',
  },
  SM_API_BAD_REQUEST: { statusCode: 400, summary: 'The request could not be read (URL, body, JSON).' },
  SM_API_UNAUTHORIZED: { statusCode: 401, summary: 'A bearer token is missing or wrong.' },
  SM_API_FORBIDDEN: {
    statusCode: 403,
    summary: 'The token is valid but not for this: profiles need the admin token, reports a proxy token.',
  },
  SM_API_WRITES_DISABLED: {
    statusCode: 403,
    summary: 'No admin token is configured (SM_API_TOKEN), so profile writes are refused.',
  },
  SM_API_NOT_FOUND: { statusCode: 404, summary: 'No such route or resource.' },
  SM_API_PROFILE_EXISTS: { statusCode: 409, summary: 'A profile with that name exists.' },
  SM_API_BUILT_IN_PROFILE: { statusCode: 409, summary: 'Built-in profiles cannot be changed or deleted.' },
  SM_API_PRECONDITION_FAILED: {
    statusCode: 412,
    summary: 'If-Match names a version that is no longer current: read the profile again and retry.',
  },
  SM_API_PAYLOAD_TOO_LARGE: { statusCode: 413, summary: 'The request body is too large.' },
  SM_API_UNSUPPORTED_MEDIA_TYPE: { statusCode: 415, summary: 'The body must be application/json.' },
  SM_API_HEADERS_TOO_LARGE: {
    statusCode: 431,
    summary: 'The URL or the headers are too large (16 KiB in all).',
  },
  SM_API_INTERNAL: { statusCode: 500, summary: 'An unexpected failure; see the server log.' },
  SM_API_DATABASE_UNAVAILABLE: {
    statusCode: 503,
    summary: 'The database cannot be reached and no snapshot can answer.',
  },
  SM_API_BUSY: {
    statusCode: 503,
    summary: 'Too many heavy reads (history, backtest) are queued or one ran past its time limit; retry.',
  },
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

export const API_ERROR_CODES = Object.keys(API_ERRORS) as ApiErrorCode[];

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(API_ERROR_CODES as [ApiErrorCode, ...ApiErrorCode[]]),
      message: z.string(),
    }),
  })
  .describe('Every error: a code from the SM_API_* catalogue and a message naming the parameter.');

export type ErrorBody = z.infer<typeof errorBodySchema>;
