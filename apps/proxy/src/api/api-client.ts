// The proxy's HTTP client for the API: several base URLs (a request that gets no usable answer — none, 5xx, an
// answer off the contract, a 4xx that is not the API's — goes to the next one, and the one that answered is tried
// first next time), a timeout per attempt, and answers checked against the API contract's zod schemas. Every
// failure is a rejection with a code, so callers stay fail-static.

import type { z } from 'zod';

export type ApiFailure =
  /** No URL answered (connection refused, timeout, 5xx or a 4xx that is not the API's, on every URL). */
  | 'SM_PROXY_API_UNREACHABLE'
  /** The API answered 4xx (with its error body): the request itself is wrong; another URL would say the same. */
  | 'SM_PROXY_API_REFUSED'
  /** No URL gave a usable answer, and at least one answered off the contract (not JSON, another shape). */
  | 'SM_PROXY_API_BAD_ANSWER';

export class ApiClientError extends Error {
  readonly code: ApiFailure;
  /** HTTP status of a refusal, when there was one. */
  readonly status: number | undefined;

  constructor(code: ApiFailure, message: string, status?: number) {
    super(message);
    this.name = 'ApiClientError';
    this.code = code;
    this.status = status;
  }
}

export interface ApiClientOptions {
  /** Base URLs (`http://host:8080`), in order of preference. */
  urls: readonly string[];
  /** Proxy token, sent as a Bearer token on reports. */
  token?: string;
  /** Per attempt (one URL). */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

/** Normalizes and checks base URLs: http(s), no query; a trailing slash is dropped. */
export function apiBaseUrls(urls: readonly string[]): string[] {
  if (urls.length === 0) throw new Error('no API URL given');
  return urls.map((raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new Error(`API URL ${JSON.stringify(raw)} is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new Error(`API URL ${raw}: http or https only`);
    return url.href.replace(/\/+$/, '');
  });
}

export class ApiClient {
  readonly urls: readonly string[];
  readonly #token: string | undefined;
  readonly #timeoutMs: number;
  readonly #fetch: typeof globalThis.fetch;
  /** Index of the URL that answered last: tried first. */
  #preferred = 0;

  constructor(options: ApiClientOptions) {
    this.urls = apiBaseUrls(options.urls);
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  /** The URL tried first (the one that answered last). */
  get preferredUrl(): string {
    return this.urls[this.#preferred]!;
  }

  /** GET `path`; `null` for a 404 when `notFoundIsNull`. */
  get<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S>>;
  get<S extends z.ZodType>(
    path: string,
    schema: S,
    options: { notFoundIsNull: true },
  ): Promise<z.infer<S> | null>;
  async get<S extends z.ZodType>(
    path: string,
    schema: S,
    options: { notFoundIsNull?: boolean } = {},
  ): Promise<z.infer<S> | null> {
    return this.#request('GET', path, undefined, schema, options.notFoundIsNull ?? false);
  }

  /** POST a JSON body with the proxy token. */
  async post<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.infer<S>> {
    const answer = await this.#request('POST', path, JSON.stringify(body), schema, false);
    return answer as z.infer<S>;
  }

  async #request<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    body: string | undefined,
    schema: S,
    notFoundIsNull: boolean,
  ): Promise<z.infer<S> | null> {
    const failures: string[] = [];
    let badAnswer = false;
    for (let i = 0; i < this.urls.length; i++) {
      const index = (this.#preferred + i) % this.urls.length;
      const url = `${this.urls[index]}${path}`;
      let response: Response;
      let text: string;
      try {
        const headers: Record<string, string> = { accept: 'application/json' };
        if (body !== undefined) headers['content-type'] = 'application/json';
        if (method === 'POST' && this.#token) headers.authorization = `Bearer ${this.#token}`;
        response = await this.#fetch(url, {
          method,
          headers,
          ...(body !== undefined ? { body } : {}),
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        failures.push(`${url}: ${describeFetchError(error, this.#timeoutMs)}`);
        continue;
      }
      if (response.status >= 500) {
        failures.push(`${url}: HTTP ${response.status} ${errorMessage(text)}`);
        continue;
      }
      if (response.status >= 400) {
        // A 4xx without the API's error body comes from something else at that address (a web server, a load
        // balancer): it says nothing about the request, and a 404 there is no "not found".
        const apiError = apiErrorBody(text);
        if (apiError === undefined) {
          failures.push(`${url}: HTTP ${response.status} ${text.slice(0, 200)}`);
          continue;
        }
        this.#preferred = index;
        if (response.status === 404 && notFoundIsNull) return null;
        throw new ApiClientError(
          'SM_PROXY_API_REFUSED',
          `${method} ${url}: HTTP ${response.status} ${apiError}`,
          response.status,
        );
      }
      const answer = parseAnswer(schema, text);
      if (!answer.ok) {
        // Not the API's answer (a page, another version's shape): the next URL may well give one.
        badAnswer = true;
        failures.push(`${url}: ${answer.problem}`);
        continue;
      }
      this.#preferred = index;
      return answer.data;
    }
    if (badAnswer)
      throw new ApiClientError('SM_PROXY_API_BAD_ANSWER', `${method} ${path}: ${failures.join('; ')}`);
    throw new ApiClientError('SM_PROXY_API_UNREACHABLE', `${method} ${path}: ${failures.join('; ')}`);
  }
}

function parseAnswer<S extends z.ZodType>(
  schema: S,
  text: string,
): { ok: true; data: z.infer<S> } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    ok: false,
    problem: issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'does not match the contract',
  };
}

/** The API's error body `{error: {code, message}}` as one line; undefined when the text is not one. */
function apiErrorBody(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } } | null;
    const code = body?.error?.code;
    if (typeof code !== 'string' || code === '') return undefined;
    const message = typeof body?.error?.message === 'string' ? body.error.message : '';
    return `${code}: ${message}`.trim();
  } catch {
    return undefined;
  }
}

/** The API's error body as one line, else the start of the text. */
function errorMessage(text: string): string {
  return apiErrorBody(text) ?? text.slice(0, 200);
}

export function describeFetchError(error: unknown, timeoutMs: number): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  return e.cause?.code ?? e.cause?.message ?? e.message;
}
