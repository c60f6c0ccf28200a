// One zod schema → the JSON Schema the server validates and serializes with and the OpenAPI document shows.

import { z } from 'zod';

export type JsonSchema = { [key: string]: unknown };

/**
 * `io: 'input'` for what a client sends (defaults are optional), `'output'` for what the server answers.
 * Draft 7 is what Fastify's ajv speaks. Nullable fields become type lists (`["string","null"]`) instead of
 * `anyOf`: fast-json-stringify validates every anyOf branch at run time, a type list costs nothing.
 */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const generated = z.toJSONSchema(schema, { io, target: 'draft-7', unrepresentable: 'any' }) as JsonSchema;
  delete generated.$schema;
  return simplify(generated) as JsonSchema;
}

function simplify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(simplify);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) out[key] = simplify(value);
  return mergeNullable(out);
}

/** `{anyOf: [{type: T, …}, {type: 'null'}], …rest}` → `{type: [T, 'null'], …, …rest}`. */
function mergeNullable(node: JsonSchema): JsonSchema {
  const anyOf = node.anyOf;
  if (!Array.isArray(anyOf) || anyOf.length !== 2) return node;
  const nullIndex = anyOf.findIndex((s) => (s as JsonSchema).type === 'null');
  const other = anyOf[1 - nullIndex] as JsonSchema | undefined;
  if (nullIndex < 0 || !other || typeof other.type !== 'string' || other.anyOf || other.oneOf) return node;
  const { anyOf: _drop, ...rest } = node;
  const merged: JsonSchema = { ...other, ...rest, type: [other.type, 'null'] };
  if (Array.isArray(other.enum)) merged.enum = [...other.enum, null];
  return merged;
}
