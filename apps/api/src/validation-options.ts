// The request validator's options: unknown keys refused, and date-times checked once, by their pattern.

import { fastFormats } from 'ajv-formats/dist/formats.js';
import type { FastifyServerOptions } from 'fastify';

/**
 * Every date-time the contract takes is isoDateTime, whose pattern checks the calendar exactly (month
 * lengths, leap years, no second 60). ajv-formats' full date-time check only repeated that, at a third of
 * the decision query's validation; its fast check keeps the shape tested where a pattern might be missing
 * (validation-options.test.ts holds that none is).
 */
export const ajvOptions = {
  // Unknown keys are refused, not silently dropped; `verbose` lets the message list the known ones.
  customOptions: { removeAdditional: false, verbose: true },
  onCreate: (ajv: { addFormat(name: string, format: unknown): unknown }) => {
    ajv.addFormat('date-time', fastFormats['date-time']);
  },
} satisfies FastifyServerOptions['ajv'];
