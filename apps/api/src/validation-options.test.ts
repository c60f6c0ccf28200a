// The date-time check the validator drops is one the contract's pattern already makes: every date-time
// input carries isoDateTime's pattern, and with it the fast check refuses exactly what the full one did.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isoDateTime, ROUTES } from '@smart-mining/api-contract';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { z } from 'zod';
import { routeOptions } from './route-schema.ts';
import { ajvOptions } from './validation-options.ts';

const ISO_PATTERN = (z.toJSONSchema(isoDateTime) as { pattern: string }).pattern;

/** Every node of a JSON Schema with a `format`, and where it is. */
function formats(node: unknown, path: string, found: [string, Record<string, unknown>][] = []) {
  if (!node || typeof node !== 'object') return found;
  const schema = node as Record<string, unknown>;
  if (typeof schema.format === 'string') found.push([path, schema]);
  for (const [key, child] of Object.entries(schema)) formats(child, `${path}/${key}`, found);
  return found;
}

function validator(fast: boolean) {
  const ajv = new Ajv(ajvOptions.customOptions);
  // ajv-formats is CommonJS: its function is the default export or that export's `default`.
  const plugin = addFormats as unknown as { default?: (ajv: Ajv) => void } & ((ajv: Ajv) => void);
  (plugin.default ?? plugin)(ajv);
  if (fast) ajvOptions.onCreate(ajv);
  const { $schema: _, ...schema } = z.toJSONSchema(isoDateTime) as Record<string, unknown>;
  return ajv.compile(schema);
}

describe('validation options', () => {
  it('every date-time the contract takes carries the isoDateTime pattern', () => {
    const found = Object.entries(ROUTES).flatMap(([name, contract]) => {
      const schema = routeOptions(contract).schema;
      return ['querystring', 'params', 'body'].flatMap((part) => formats(schema[part], `${name}.${part}`));
    });
    assert.ok(found.length > 0);
    for (const [path, schema] of found) {
      assert.equal(schema.format, 'date-time', path);
      assert.equal(schema.pattern, ISO_PATTERN, path);
    }
  });

  it('refuses the same date-times as the full check', () => {
    const [full, fast] = [validator(false), validator(true)];
    for (const value of [
      '2026-11-25T12:00:00Z',
      '2026-11-25T12:00:00.123456+02:00',
      '2024-02-29T00:00:00Z',
      '2000-02-29T00:00:00Z',
      '1900-02-29T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-11-25T24:00:00Z',
      '2026-11-25T23:60:00Z',
      '2016-12-31T23:59:60Z',
      '2026-11-25t12:00:00z',
      '2026-11-25 12:00:00Z',
      '2026-11-25T12:00:00',
      '2026-11-25T12:00:00+0200',
      '2026-11-25T12:00:00+24:00',
      '2026-11-25',
      'recently',
    ]) {
      assert.equal(fast(value), full(value), value);
    }
  });
});
