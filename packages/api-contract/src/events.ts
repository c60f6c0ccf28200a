// GET /v1/events: the Server-Sent Events a proxy or dashboard follows (ids, Last-Event-ID resume, catch-up).

import { z } from 'zod';
import { isoDateTime } from './primitives.ts';

/** Re-ask decisions and rankings: the market or a profile changed. */
export const RANKINGS_CHANGED_EVENT = 'rankings-changed';
/** A proxy reported its miners: re-read GET /v1/miners. */
export const MINERS_REPORTED_EVENT = 'miners-reported';
/** A proxy reported switches it made: re-read GET /v1/switches. */
export const SWITCH_EVENT = 'switch';
/** Events may have been missed (the API's database listener reconnected, or a resume reached past the retained log): re-read everything. */
export const CATCH_UP_EVENT = 'catch-up';

export const eventsQuery = z.strictObject({
  lastEventId: z
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .optional()
    .describe('Resume after this event id (as the Last-Event-ID header does)'),
});

export const rankingsChangedData = z.object({
  id: z.int(),
  at: isoDateTime,
  cause: z.enum(['ingest', 'profile']),
  ingestedAt: isoDateTime.optional().describe('cause ingest: the cycle that wrote new market data'),
  profile: z.string().optional().describe('cause profile: the profile created, changed or deleted'),
  change: z.enum(['created', 'updated', 'deleted']).optional(),
});

export const minersReportedData = z.object({
  id: z.int(),
  at: isoDateTime,
  proxy: z.string(),
  miners: z.int().describe('Miner rows the report wrote'),
});

export const switchData = z.object({
  id: z.int(),
  at: isoDateTime,
  proxy: z.string(),
  switches: z
    .array(z.object({ account: z.string(), route: z.string(), toPoolKey: z.string(), at: isoDateTime }))
    .describe('The switches newly logged (a report sent again announces nothing)'),
});

export const catchUpData = z.object({
  reason: z.enum(['listener-reconnected', 'resume-gap']),
  lastEventId: z.int().nullable().describe('The newest event id known to the API'),
  replayed: z.int().describe('Events sent again before this one'),
});

export type RankingsChangedData = z.infer<typeof rankingsChangedData>;
export type CatchUpData = z.infer<typeof catchUpData>;
export type MinersReportedData = z.infer<typeof minersReportedData>;
export type SwitchData = z.infer<typeof switchData>;

export const EVENTS_DESCRIPTION =
  `\`text/event-stream\`. Each frame has an \`id:\` (the event's id in the API's event log). ` +
  `\`event: ${RANKINGS_CHANGED_EVENT}\` after an ingest that wrote market data or a profile write ` +
  '(data: `{id, at, cause, ingestedAt | profile + change}`): re-ask GET /v1/decision. ' +
  `\`event: ${MINERS_REPORTED_EVENT}\` after a proxy's miners report (data: \`{id, at, proxy, miners}\`); ` +
  `\`event: ${SWITCH_EVENT}\` after a proxy logged switches (data: \`{id, at, proxy, switches: [{account, ` +
  'route, toPoolKey, at}]}`). ' +
  `\`event: ${CATCH_UP_EVENT}\` (data: \`{reason, lastEventId, replayed}\`) when events may have been ` +
  "missed (the API's database listener reconnected, or a resume reaches past the retained log): re-read " +
  'everything. Reconnect with the `Last-Event-ID` header (or `?lastEventId=`) to receive what was missed. ' +
  'The stream opens with `id: <newest id>`; a comment every 15 s keeps it open.';
