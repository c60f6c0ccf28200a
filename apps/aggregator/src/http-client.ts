// Fetches JSON from a source: timeout, retries with backoff, Retry-After, and a per-source request spacing.

import { SourceError } from './errors.ts';

export interface HttpClientOptions {
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
  /** Attempts in all, the first included. */
  attempts?: number;
  backoffBaseMs?: number;
  /** Longest wait the client accepts between two attempts (a longer Retry-After fails the fetch). */
  maxBackoffMs?: number;
  /** Minimum time between two requests to this source (its rate limit). */
  minIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface GetJsonOptions {
  headers?: Record<string, string>;
  /** Statuses whose body is still parsed and returned (APIs that send their error objects with 4xx). */
  acceptStatuses?: number[];
}

export interface JsonResponse {
  status: number;
  body: unknown;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class HttpClient {
  readonly #fetch: typeof globalThis.fetch;
  readonly #timeoutMs: number;
  readonly #attempts: number;
  readonly #backoffBaseMs: number;
  readonly #maxBackoffMs: number;
  readonly #minIntervalMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;
  #nextSlotAt = 0;

  constructor(options: HttpClientOptions = {}) {
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#attempts = options.attempts ?? 3;
    this.#backoffBaseMs = options.backoffBaseMs ?? 500;
    this.#maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.#minIntervalMs = options.minIntervalMs ?? 0;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#now = options.now ?? Date.now;
  }

  async getJson(url: string, options: GetJsonOptions = {}): Promise<JsonResponse> {
    let lastError: SourceError | undefined;
    for (let attempt = 1; attempt <= this.#attempts; attempt++) {
      try {
        return await this.#once(url, options);
      } catch (error) {
        if (!(error instanceof SourceError)) throw error;
        lastError = error;
        if (!error.retryable || attempt === this.#attempts) break;
        const backoffMs = this.#backoffBaseMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
        const waitMs = error.retryAfterS !== undefined ? error.retryAfterS * 1000 : backoffMs;
        if (waitMs > this.#maxBackoffMs) break;
        await this.#sleep(waitMs);
      }
    }
    throw lastError ?? new SourceError('SM_SOURCE_NETWORK', `no attempt made for ${redact(url)}`);
  }

  async #once(url: string, options: GetJsonOptions): Promise<JsonResponse> {
    await this.#waitForSlot();
    // Host and path only: the query (percent-encoded symbol lists, keys) would bury the cause in logs.
    const { host, pathname } = new URL(url);
    const shown = `${host}${pathname}`;
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(url, {
        headers: { accept: 'application/json', ...options.headers },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      text = await response.text();
    } catch (cause) {
      const name = (cause as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new SourceError('SM_SOURCE_TIMEOUT', `GET ${shown}: no answer within ${this.#timeoutMs} ms`, {
          cause,
        });
      }
      throw new SourceError('SM_SOURCE_NETWORK', `cannot reach ${host}: ${networkReason(cause)}`, { cause });
    }
    const status = response.status;
    if (status === 429 || status === 418) {
      const retryAfter = Number(response.headers.get('retry-after'));
      throw new SourceError('SM_SOURCE_RATE_LIMITED', `GET ${shown}: rate limited (HTTP ${status})`, {
        status,
        ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterS: retryAfter } : {}),
      });
    }
    const accepted = (status >= 200 && status < 300) || (options.acceptStatuses ?? []).includes(status);
    if (!accepted) {
      throw new SourceError('SM_SOURCE_HTTP', `GET ${shown}: HTTP ${status} ${snippet(text)}`, { status });
    }
    try {
      return { status, body: JSON.parse(text) };
    } catch (cause) {
      throw new SourceError('SM_SOURCE_INVALID', `GET ${shown}: body is not JSON: ${snippet(text)}`, {
        cause,
        status,
      });
    }
  }

  async #waitForSlot(): Promise<void> {
    if (this.#minIntervalMs <= 0) return;
    const now = this.#now();
    const slot = Math.max(now, this.#nextSlotAt);
    this.#nextSlotAt = slot + this.#minIntervalMs;
    if (slot > now) await this.#sleep(slot - now);
  }
}

const NETWORK_REASONS: Record<string, string> = {
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
};

/** fetch() fails with "fetch failed"; the system error's code (ENOTFOUND, …) is on its cause. */
function networkReason(error: unknown): string {
  const code = (error as { cause?: { code?: string } }).cause?.code;
  if (!code) return (error as Error).message;
  const text = NETWORK_REASONS[code];
  return text ? `${text} (${code})` : code;
}

/** Keeps API keys passed in the query string out of logs and stored errors. */
export function redact(url: string): string {
  return url.replace(/([?&](?:apiKey|key|x_cg_demo_api_key|x_cg_pro_api_key)=)[^&]*/gi, '$1***');
}

function snippet(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]+/g, ' ').trim();
  return clean.length > 120 ? `${clean.slice(0, 120)}…` : clean;
}
