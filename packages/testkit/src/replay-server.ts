// A local HTTP server that answers at the seven sources' real paths from the fixtures, with injectable faults;
// `fetch` gives the same answers in process (no socket), so tests do not time out on a loaded machine.

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadFixtures } from './fixtures.ts';
import {
  applyMarketChange,
  type MarketMoves,
  MarketScenarioError,
  parseMarketMoves,
} from './market-scenario.ts';
import { RECORDED_AT, shiftRecordedTimes } from './replay-clock.ts';
import { type Fixtures, REPLAY_ROUTES, type ReplayResponse } from './replay-routes.ts';

export type ReplaySource = keyof typeof REPLAY_ROUTES;

export type Fault =
  | { kind: 'status'; status: number }
  | { kind: 'rate-limit'; retryAfterS: number }
  /** Holds the request open without answering until the client gives up (or the server closes). */
  | { kind: 'timeout' }
  | { kind: 'truncated' }
  | { kind: 'garbage' }
  /** Removes these field names at every depth of the body. */
  | { kind: 'missing-fields'; fields: readonly string[] }
  /** Turns every JSON number of the body into a string. */
  | { kind: 'numbers-as-strings' };

interface ArmedFault {
  fault: Fault;
  /** Requests left to spoil; Infinity until cleared. */
  remaining: number;
}

/** Base URLs of the sources on this server, in the form the aggregator config takes. */
export interface ReplayBaseUrls {
  binance: string;
  coingecko: string;
  hashrateno: string;
  minerstat: string;
  nanopool: string;
  twominers: string;
  whattomine: string;
}

export interface ReplayServerOptions {
  /** When given, the recorded timestamps are moved so the recording's moment is `now()` (fresh data). */
  now?: () => Date;
}

export class ReplayServer {
  readonly fixtures: Fixtures;
  readonly #now: (() => Date) | undefined;
  readonly requests: { source: string; path: string; query: string }[] = [];
  #server: Server;
  #faults = new Map<string, ArmedFault>();
  #held = new Set<ServerResponse>();
  #origin = '';
  #market: MarketMoves = {};

  constructor(fixtures: Fixtures = loadFixtures(), options: ReplayServerOptions = {}) {
    this.fixtures = fixtures;
    this.#now = options.now;
    this.#server = createServer((req, res) => this.#handle(req, res));
  }

  get origin(): string {
    return this.#origin;
  }

  get baseUrls(): ReplayBaseUrls {
    const o = this.#origin;
    return {
      binance: `${o}/binance`,
      coingecko: `${o}/coingecko`,
      hashrateno: `${o}/hashrateno`,
      minerstat: `${o}/minerstat`,
      nanopool: `${o}/nanopool/{coin}`,
      twominers: `${o}/2miners/{coin}/api`,
      whattomine: `${o}/whattomine`,
    };
  }

  async listen(port = 0): Promise<this> {
    this.#server.listen(port, '127.0.0.1');
    await once(this.#server, 'listening');
    const { port: bound } = this.#server.address() as AddressInfo;
    this.#origin = `http://127.0.0.1:${bound}`;
    return this;
  }

  /** Spoils the next `times` responses of a source (all of them when omitted). */
  inject(source: ReplaySource, fault: Fault, times = Number.POSITIVE_INFINITY): void {
    this.#faults.set(source, { fault, remaining: times });
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  /** Replaces a fixture's body (market scripts: a price moves between two ingests). */
  updateFixture<T>(path: string, change: (body: T) => T): void {
    const current = this.fixtures.get(path);
    if (current === undefined) throw new Error(`fixture missing: ${path}`);
    this.fixtures.set(path, change(structuredClone(current) as T));
  }

  /**
   * Sets the market, per coin, relative to the recording (`{ DOGE: { priceFactor: 1.4 } }`: DOGE 40 % above it in
   * every source); coins not named go back to their recorded values. Also `POST /_control/market` over HTTP.
   */
  setMarket(moves: MarketMoves): void {
    const next = parseMarketMoves(moves);
    applyMarketChange(this, this.#market, next);
    this.#market = next;
  }

  /** The market in force, as last set. */
  get market(): MarketMoves {
    return structuredClone(this.#market);
  }

  requestCount(source: string): number {
    return this.requests.filter((r) => r.source === source).length;
  }

  async close(): Promise<void> {
    for (const res of this.#held) res.destroy();
    this.#held.clear();
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, 'close');
  }

  /**
   * The same answers and faults as over HTTP, without a socket: pass it as the collectors' `fetch` (any
   * origin; the path selects the source). A `timeout` fault holds the request until its signal aborts.
   */
  readonly fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const answer = this.#answer(url, Object.fromEntries(new Headers(init?.headers).entries()));
    if (answer === 'hold') {
      return new Promise<Response>((_, reject) => {
        const signal = init?.signal;
        if (!signal) return;
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    }
    const [status, text, headers = {}] = answer;
    return new Response(text, { status, headers: { 'content-type': 'application/json', ...headers } });
  };

  #handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.url?.startsWith('/_control/')) {
      this.#control(req, res);
      return;
    }
    const answer = this.#answer(new URL(req.url ?? '/', 'http://replay'), req.headers);
    if (answer === 'hold') {
      this.#held.add(res);
      res.on('close', () => this.#held.delete(res));
      return;
    }
    send(res, ...answer);
  }

  /** `GET /_control/market`: the market in force; `POST` with `{"coins": {...}}` sets it (see setMarket). */
  #control(req: IncomingMessage, res: ServerResponse): void {
    const answer = (status: number, body: unknown) => send(res, status, JSON.stringify(body));
    if (new URL(req.url ?? '/', 'http://replay').pathname !== '/_control/market') {
      answer(404, { error: 'control routes: GET or POST /_control/market' });
      return;
    }
    if (req.method === 'GET') {
      answer(200, { coins: this.#market });
      return;
    }
    if (req.method !== 'POST') {
      answer(405, { error: 'GET or POST /_control/market' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= CONTROL_BODY_LIMIT) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > CONTROL_BODY_LIMIT) {
        answer(413, { error: `body over ${CONTROL_BODY_LIMIT} bytes` });
        return;
      }
      try {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const coins = body && typeof body === 'object' && 'coins' in body ? body.coins : undefined;
        this.setMarket(parseMarketMoves(coins));
        answer(200, { coins: this.#market });
      } catch (error) {
        const known = error instanceof MarketScenarioError || error instanceof SyntaxError;
        answer(known ? 400 : 500, { error: (error as Error).message });
      }
    });
  }

  #answer(url: URL, headers: Record<string, string | string[] | undefined>): Answer | 'hold' {
    const [, source = '', ...rest] = url.pathname.split('/');
    const path = `/${rest.join('/')}`;
    this.requests.push({ source, path, query: url.search });
    const route = REPLAY_ROUTES[source];
    let response: ReplayResponse | undefined;
    try {
      response = route?.({ path, query: url.searchParams, headers }, this.fixtures);
    } catch (error) {
      response = { status: 500, body: { error: (error as Error).message } };
    }
    response ??= { status: 404, body: { error: `no route for ${url.pathname}` } };
    if (this.#now)
      response.body = shiftRecordedTimes(response.body, this.#now().getTime() - RECORDED_AT.getTime());
    const armed = this.#faults.get(source);
    if (armed && armed.remaining > 0) {
      armed.remaining -= 1;
      return armed.fault.kind === 'timeout' ? 'hold' : spoiled(armed.fault, response);
    }
    return [response.status, JSON.stringify(response.body), response.headers];
  }
}

const CONTROL_BODY_LIMIT = 64 * 1024;

/** Status, body text and extra headers of one answer. */
type Answer = [number, string, Record<string, string>?];

function spoiled(fault: Exclude<Fault, { kind: 'timeout' }>, response: ReplayResponse): Answer {
  const body = JSON.stringify(response.body);
  switch (fault.kind) {
    case 'status':
      return [fault.status, JSON.stringify({ error: `injected ${fault.status}` })];
    case 'rate-limit':
      return [
        429,
        JSON.stringify({ error: 'Too many requests' }),
        { 'retry-after': String(fault.retryAfterS) },
      ];
    case 'truncated':
      return [200, body.slice(0, Math.max(1, Math.floor(body.length / 2)))];
    case 'garbage':
      return [200, '<html><body>502 Bad Gateway</body></html>\u0000\u0001'];
    case 'missing-fields':
      return [response.status, JSON.stringify(stripFields(response.body, new Set(fault.fields)))];
    case 'numbers-as-strings':
      return [
        response.status,
        JSON.stringify(response.body, (_k, v) => (typeof v === 'number' ? String(v) : v)),
      ];
  }
}

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

function stripFields(value: unknown, fields: Set<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => stripFields(v, fields));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !fields.has(k))
        .map(([k, v]) => [k, stripFields(v, fields)]),
    );
  }
  return value;
}

export async function startReplayServer(port = 0, options: ReplayServerOptions = {}): Promise<ReplayServer> {
  return new ReplayServer(undefined, options).listen(port);
}
