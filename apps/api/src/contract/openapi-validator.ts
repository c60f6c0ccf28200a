// Checks answers against the published OpenAPI document (GET /docs/json) with ajv: the document is the
// contract clients read, so the tests hold the server to it, not to our own schemas.

import assert from 'node:assert/strict';
import { ROUTES, type RouteName } from '@smart-mining/api-contract';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
}

export type OpenApiDocument = { openapi: string; paths: Record<string, Record<string, Operation>> };

/** `/v1/pools/:poolKey` → `/v1/pools/{poolKey}`. */
export function documentPath(url: string): string {
  return url.replace(/:(\w+)/g, '{$1}');
}

export class OpenApiValidator {
  readonly #doc: OpenApiDocument;
  readonly #ajv = new Ajv({ strict: false, allErrors: true });
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor(doc: OpenApiDocument) {
    this.#doc = doc;
    // ajv-formats is CommonJS: its function is the default export or that export's `default`.
    const module = addFormats as unknown as { default?: (ajv: Ajv) => void } & ((ajv: Ajv) => void);
    (module.default ?? module)(this.#ajv);
  }

  /** The documented media types of an answer (fails when the status is not documented for the route). */
  mediaTypes(route: RouteName, status: number): string[] {
    const contract = ROUTES[route];
    const operation = this.#doc.paths[documentPath(contract.url)]?.[contract.method.toLowerCase()];
    assert.ok(operation, `${contract.method} ${contract.url} is in the document`);
    const response = operation.responses[String(status)];
    assert.ok(response, `${contract.method} ${contract.url} documents status ${status}`);
    return Object.keys(response.content ?? {});
  }

  /** Asserts that `body` is what the document promises for this route, status and media type. */
  check(route: RouteName, status: number, contentType: string | null, body: unknown): void {
    const contract = ROUTES[route];
    const types = this.mediaTypes(route, status);
    if (types.length === 0) {
      assert.equal(body, '', `${contract.url} ${status} has no body`);
      return;
    }
    const mediaType = (contentType ?? '').split(';')[0]!.trim();
    assert.ok(
      types.includes(mediaType),
      `${contract.url} ${status}: ${mediaType} is one of ${types.join(', ')}`,
    );
    const key = `${contract.method} ${contract.url} ${status} ${mediaType}`;
    let validate = this.#compiled.get(key);
    if (!validate) {
      const operation = this.#doc.paths[documentPath(contract.url)]![contract.method.toLowerCase()]!;
      validate = this.#ajv.compile(operation.responses[String(status)]!.content![mediaType]!.schema);
      this.#compiled.set(key, validate);
    }
    if (!validate(body)) {
      assert.fail(`${key}: ${this.#ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`);
    }
  }
}
