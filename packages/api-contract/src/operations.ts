// GET /health, GET /v1 (index): what an operator or a load balancer asks.

import { z } from 'zod';
import { isoDateTime } from './primitives.ts';

const sourceHealth = z.object({
  source: z.string(),
  lastRunAt: isoDateTime,
  lastRunOk: z.boolean(),
  lastError: z.string().nullable(),
  lastOkAt: isoDateTime.nullable(),
  lastOkAgeS: z.number().nullable().describe('Seconds since the last good run finished; null if none'),
  stale: z.boolean().describe('No good run within the allowed age'),
});

export const healthResponse = z.object({
  status: z
    .enum(['ok', 'degraded', 'down'])
    .describe(
      'ok: database reachable, event listener connected, sources fresh. degraded (200): something is ' +
        'wrong but decisions are answered (from the last snapshot while the database is away). ' +
        'down (503): decisions cannot be answered.',
    ),
  at: isoDateTime,
  database: z.object({
    reachable: z.boolean(),
    latencyMs: z.number().nullable(),
    error: z.string().nullable(),
  }),
  events: z.object({
    listening: z.boolean().describe("The API's LISTEN connection to the database is up"),
    since: isoDateTime.nullable().describe('When it last connected or disconnected'),
    lastEventId: z.int().nullable(),
    clients: z.int(),
  }),
  snapshot: z
    .object({
      loadedAt: isoDateTime,
      ageS: z.number(),
      stale: z.boolean().describe('The last reload failed: the database is away'),
    })
    .nullable(),
  sourceMaxAgeS: z.number(),
  sources: z.array(sourceHealth),
});

/** GET /v1/sources: every data source, the ones that never ran and the ones this process skips included. */
export const sourcesResponse = z.object({
  at: isoDateTime,
  sourceMaxAgeS: z.number(),
  sources: z.array(
    z.object({
      source: z.string(),
      skipReason: z.string().nullable().describe("Why this process's aggregator skips the source"),
      lastRunAt: isoDateTime.nullable().describe('Start of the last run; null when it never ran'),
      lastRunOk: z.boolean().nullable(),
      lastError: z.string().nullable().describe('Error, or warnings, of the last run'),
      lastOkAt: isoDateTime.nullable().describe('End of the last good run'),
      lastOkRows: z.number().nullable().describe('Rows the last good run produced'),
      lastOkAgeS: z.number().nullable(),
      stale: z.boolean().describe("No good run within /health's allowed age"),
    }),
  ),
});

export const indexResponse = z.object({ name: z.string(), version: z.string(), docs: z.string() });

export type HealthJson = z.infer<typeof healthResponse>;
export type SourcesJson = z.infer<typeof sourcesResponse>;
