// Tests for the zod → JSON Schema step: nullable fields as type lists, strict objects, every route converts.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { toJsonSchema } from './json-schema.ts';
import { ROUTES, type RouteContract } from './routes.ts';

describe('toJsonSchema', () => {
  it('writes nullable fields as type lists (no anyOf for the serializer to try at run time)', () => {
    const schema = toJsonSchema(
      z.object({
        price: z.number().nullable(),
        side: z.enum(['buy', 'sell']).nullable(),
        nested: z.object({ a: z.string() }).nullable(),
      }),
      'output',
    );
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    assert.deepEqual(properties.price, { type: ['number', 'null'] });
    assert.deepEqual(properties.side, { type: ['string', 'null'], enum: ['buy', 'sell', null] });
    assert.deepEqual(properties.nested!.type, ['object', 'null']);
    assert.equal(JSON.stringify(schema).includes('anyOf'), false);
    assert.equal(schema.$schema, undefined);
  });

  it('refuses unknown keys of strict objects and fills defaults on input', () => {
    const schema = toJsonSchema(z.strictObject({ limit: z.int().default(100) }), 'input');
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(schema.required ?? [], []);
    assert.equal((schema.properties as Record<string, { default: number }>).limit?.default, 100);
  });

  it('converts every schema of every route', () => {
    for (const [name, route] of Object.entries(ROUTES) as [string, RouteContract][]) {
      for (const part of [route.querystring, route.params, route.body]) {
        if (part) assert.equal(typeof toJsonSchema(part, 'input'), 'object', name);
      }
      for (const body of Object.values(route.responses)) {
        if (body) assert.equal(typeof toJsonSchema(body, 'output'), 'object', name);
      }
    }
  });
});
