// JSON Schema fragments shared by the routes: validation, serialization and the OpenAPI document.

import { API_ERRORS, type ApiErrorCode } from './errors.ts';

export type JsonSchema = Record<string, unknown>;

export const dateTime = { type: 'string', format: 'date-time' } as const;
export const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
export const nullableNumber = { type: ['number', 'null'] } as const;
export const nullableString = { type: ['string', 'null'] } as const;
export const freeObject = { type: 'object', additionalProperties: true } as const;

/** A comma-separated list in a query string (`algorithms=kawpow,etchash`). */
export function commaList(description: string): JsonSchema {
  return { type: 'string', minLength: 1, description };
}

export function objectOf(
  properties: Record<string, JsonSchema>,
  required = Object.keys(properties),
): JsonSchema {
  return { type: 'object', properties, required, additionalProperties: false };
}

export const errorSchema: JsonSchema = {
  type: 'object',
  description: 'Every error: a code from the SM_API_* catalogue and a message naming the parameter.',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string', enum: Object.keys(API_ERRORS) },
        message: { type: 'string' },
      },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
};

/** The `response` map of a route: the success schema(s) plus the error body for the given codes. */
export function responses(ok: Record<number, JsonSchema>, errorCodes: ApiErrorCode[] = []): JsonSchema {
  const map: Record<string, JsonSchema> = { ...ok };
  for (const code of [
    'SM_API_BAD_PARAMETER',
    ...errorCodes,
    'SM_API_DATABASE_UNAVAILABLE',
  ] as ApiErrorCode[]) {
    map[String(API_ERRORS[code].statusCode)] = errorSchema;
  }
  return map;
}

export const historyRangeQuery: Record<string, JsonSchema> = {
  from: { ...dateTime, description: 'Start (inclusive); default: 24 h before `to`.' },
  to: { ...dateTime, description: 'End (exclusive); default: now.' },
  bucketS: {
    type: 'integer',
    minimum: 60,
    maximum: 31 * 86_400,
    default: 3600,
    description: 'Bucket width in seconds; buckets start at multiples of it since the Unix epoch.',
  },
};

export const aggregateSchema: JsonSchema = objectOf({
  avg: nullableNumber,
  min: nullableNumber,
  max: nullableNumber,
});

/** A bucketed history response: the series key, the range, and avg/min/max of each measure per bucket. */
export function bucketedHistorySchema(keyName: string, measures: readonly string[]): JsonSchema {
  return objectOf({
    [keyName]: { type: 'string' },
    from: dateTime,
    to: dateTime,
    bucketS: { type: 'integer' },
    points: {
      type: 'array',
      items: objectOf({
        at: { ...dateTime, description: 'Bucket start' },
        samples: { type: 'integer' },
        ...Object.fromEntries(measures.map((m) => [m, aggregateSchema])),
      }),
    },
  });
}

/** Who is asking, for /v1/decision and /v1/backtest: a profile and the miner's hardware or algorithms. */
export function minerQueryProperties(defaultProfile: string): Record<string, JsonSchema> {
  return {
    profile: { type: 'string', minLength: 1, description: `Default: ${defaultProfile}` },
    algorithms: commaList("Algorithms the miner's connection mines, e.g. kawpow,etchash"),
    hardware: { type: 'string', minLength: 1, description: 'Hardware key, e.g. nvidia-rtx-3080' },
    hashrate: commaList('H/s for `algorithms`: one value, or one per algorithm'),
  };
}
