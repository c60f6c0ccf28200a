// The request validator: unknown keys refused, date-times checked once, by their pattern, and JSON bodies
// taken as sent while query strings and path parameters (text by nature) are converted to their types.

import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { fastFormats } from 'ajv-formats/dist/formats.js';
import type { FastifySchemaCompiler } from 'fastify';

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
} as const;

/** Fastify's own validator options (defaults filled in, one error reported), with ours over them. */
function createAjv(coerceTypes: 'array' | false): Ajv {
  const ajv = new Ajv({
    useDefaults: true,
    addUsedSchema: false,
    allErrors: false,
    coerceTypes,
    ...ajvOptions.customOptions,
  });
  // ajv-formats is CommonJS: its function is the default export or that export's `default`.
  const plugin = addFormats as unknown as { default?: (ajv: Ajv) => void } & ((ajv: Ajv) => void);
  (plugin.default ?? plugin)(ajv);
  ajvOptions.onCreate(ajv);
  return ajv;
}

/**
 * A query value is text, so `limit=5` is read as the number the schema asks for. A JSON body already has
 * types: converting them would store `"accepted": null` as 0 shares and `"proxy": 7` as "7", values the
 * published document refuses, so a body is validated as sent.
 */
export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const converting = createAjv('array');
  const asSent = createAjv(false);
  return ({ schema, httpPart }) => (httpPart === 'body' ? asSent : converting).compile(schema as object);
}
