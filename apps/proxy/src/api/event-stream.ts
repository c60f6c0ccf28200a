// Follows GET /v1/events: resumes with Last-Event-ID, reconnects with a growing backoff, moves to the next API URL
// when one fails (or answers with no event stream), and treats a silent stream (no keep-alive comment) as broken.
// API events become the proxy's DecisionEvents; an open after a break or failed attempts also emits `catch-up`,
// since decisions may have moved (or failed) meanwhile.

import { CATCH_UP_EVENT, RANKINGS_CHANGED_EVENT, rankingsChangedData } from '@smart-mining/api-contract';
import type { Logger } from 'pino';
import type { DecisionEvent } from '../ports.ts';
import { apiBaseUrls, describeFetchError } from './api-client.ts';
import type { DecisionEventFeed } from './decision-client.ts';
import { type SseEvent, SseParser } from './sse-parser.ts';

export interface EventStreamOptions {
  urls: readonly string[];
  logger: Logger;
  fetch?: typeof globalThis.fetch;
  /** Reconnect backoff bounds (doubling, with jitter). */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** No byte for this long (the API sends a comment every 15 s): the stream is broken. */
  silenceMs?: number;
  /** Connect + headers within this. */
  connectTimeoutMs?: number;
}

export type EventStreamState = 'connecting' | 'open' | 'waiting' | 'stopped';

/** The API's event as the proxy's, or undefined for events the proxy does not act on. */
export function toDecisionEvent(event: SseEvent): DecisionEvent | undefined {
  // The event's name is what the proxy acts on: a body it cannot read (another API version's reason, fields
  // it does not know) still says "events may have been missed", or "something changed": every route asks again.
  if (event.event === CATCH_UP_EVENT) return { kind: 'catch-up' };
  if (event.event !== RANKINGS_CHANGED_EVENT) return undefined;
  const parsed = rankingsChangedData.safeParse(safeJson(event.data));
  if (!parsed.success) return { kind: 'rankings-changed' };
  const { cause, profile } = parsed.data;
  return cause === 'profile' && profile ? { kind: 'profile-changed', profile } : { kind: 'rankings-changed' };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export class ApiEventStream implements DecisionEventFeed {
  readonly urls: readonly string[];
  readonly #logger: Logger;
  readonly #fetch: typeof globalThis.fetch;
  readonly #minMs: number;
  readonly #maxMs: number;
  readonly #silenceMs: number;
  readonly #connectTimeoutMs: number;
  readonly #listeners = new Set<(event: DecisionEvent) => void>();
  #urlIndex = 0;
  #lastEventId: string | undefined;
  #failures = 0;
  #state: EventStreamState = 'stopped';
  #abort: AbortController | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** Connections opened so far (the first one needs no catch-up, unless attempts failed before it). */
  #opened = 0;
  /** When the stream last opened (Date.now() ms). */
  #openedAtMs = 0;

  constructor(options: EventStreamOptions) {
    this.urls = apiBaseUrls(options.urls);
    this.#logger = options.logger;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#minMs = options.reconnectMinMs ?? 500;
    this.#maxMs = options.reconnectMaxMs ?? 30_000;
    this.#silenceMs = options.silenceMs ?? 45_000;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  }

  get state(): EventStreamState {
    return this.#state;
  }

  get lastEventId(): string | undefined {
    return this.#lastEventId;
  }

  /** The URL the stream is on (or tries next). */
  get url(): string {
    return this.urls[this.#urlIndex]!;
  }

  subscribe(onEvent: (event: DecisionEvent) => void): () => void {
    this.#listeners.add(onEvent);
    return () => this.#listeners.delete(onEvent);
  }

  start(): void {
    if (this.#state !== 'stopped') return;
    this.#connect();
  }

  stop(): void {
    this.#state = 'stopped';
    clearTimeout(this.#timer);
    this.#abort?.abort();
  }

  #emit(event: DecisionEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.error({ err: error }, 'decision event listener failed');
      }
    }
  }

  #connect(): void {
    this.#state = 'connecting';
    const abort = new AbortController();
    this.#abort = abort;
    const url = `${this.url}/v1/events`;
    void this.#run(url, abort).then(
      (why) => this.#broken(url, why),
      (error) => this.#broken(url, describeFetchError(error, this.#connectTimeoutMs)),
    );
  }

  /** Reads one connection until it ends; resolves with why it ended. */
  async #run(url: string, abort: AbortController): Promise<string> {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.#lastEventId !== undefined) headers['last-event-id'] = this.#lastEventId;
    const connectTimer = setTimeout(() => abort.abort(new Error('connect timeout')), this.#connectTimeoutMs);
    let response: Response;
    try {
      response = await this.#fetch(url, { headers, signal: abort.signal });
    } finally {
      clearTimeout(connectTimer);
    }
    const type = response.headers.get('content-type') ?? '';
    // A 200 page from something else at the address (a web server, a load balancer) is no stream: taken as open,
    // it would be re-fetched in a loop with a catch-up each time, and the next URL never tried.
    if (!response.ok || !response.body || !/^text\/event-stream\b/i.test(type)) {
      await response.body?.cancel().catch(() => {});
      return response.ok ? `not an event stream (content-type ${type || 'none'})` : `HTTP ${response.status}`;
    }
    // After a break, or attempts that failed (decisions asked meanwhile may have failed too): ask again.
    const catchUp = this.#opened > 0 || this.#failures > 0;
    this.#state = 'open';
    this.#openedAtMs = Date.now();
    this.#opened++;
    this.#logger.info({ url, lastEventId: this.#lastEventId ?? null }, 'event stream open');
    if (catchUp) this.#emit({ kind: 'catch-up' });
    const parser = new SseParser(this.#lastEventId ?? '');
    const decoder = new TextDecoder();
    let silence = setTimeout(() => abort.abort(new Error('silent')), this.#silenceMs);
    try {
      for await (const chunk of response.body) {
        clearTimeout(silence);
        silence = setTimeout(() => abort.abort(new Error('silent')), this.#silenceMs);
        const { events } = parser.push(decoder.decode(chunk as Uint8Array, { stream: true }));
        if (parser.lastEventId !== '') this.#lastEventId = parser.lastEventId;
        for (const event of events) {
          const mapped = toDecisionEvent(event);
          if (mapped) this.#emit(mapped);
        }
      }
    } finally {
      clearTimeout(silence);
    }
    return 'stream ended';
  }

  #broken(url: string, why: string): void {
    if (this.#state === 'stopped') return;
    const wasOpen = this.#state === 'open';
    this.#state = 'waiting';
    // Only a stream that stayed open a while was healthy: one that something in front of the API opens and closes
    // at once would otherwise be reopened every half second, each open a catch-up (a decision per route).
    if (wasOpen && Date.now() - this.#openedAtMs >= this.#maxMs) this.#failures = 0;
    this.#failures++;
    // A URL that could not be reached gives way to the next one; a stream that was open is resumed there first.
    if (!wasOpen) this.#urlIndex = (this.#urlIndex + 1) % this.urls.length;
    const base = Math.min(this.#maxMs, this.#minMs * 2 ** Math.min(this.#failures - 1, 20));
    const delay = Math.round(base / 2 + Math.random() * (base / 2));
    this.#logger.warn({ url, why, retryInMs: delay, next: this.url }, 'event stream broken');
    this.#timer = setTimeout(() => this.#connect(), delay);
    this.#timer.unref();
  }
}
