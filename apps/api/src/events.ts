// "Rankings changed" fan-out: one LISTEN per app instance, relayed to every Server-Sent Events client.

import type { ServerResponse } from 'node:http';
import { type Db, parseRankingsChanged, RANKINGS_CHANNEL } from '@smart-mining/db';

export const RANKINGS_EVENT = 'rankings-changed';
export const HEARTBEAT_MS = 15_000;

interface WarnLogger {
  warn(obj: object, msg: string): void;
}

/** A client that buffers more than this is too slow to keep. */
const MAX_BUFFERED_BYTES = 1 << 20;

export class RankingsEvents {
  readonly #db: Db;
  readonly #heartbeatMs: number;
  readonly #log: WarnLogger;
  readonly #clients = new Set<ServerResponse>();
  #unlisten?: () => Promise<void>;
  #heartbeat?: NodeJS.Timeout;

  readonly #onNotify: () => void;

  constructor(db: Db, options: { heartbeatMs?: number; log: WarnLogger; onNotify?: () => void }) {
    this.#db = db;
    this.#onNotify = options.onNotify ?? (() => {});
    this.#heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.#log = options.log;
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  async start(): Promise<void> {
    if (this.#unlisten) return;
    this.#unlisten = await this.#db.listen(RANKINGS_CHANNEL, (payload) => this.#relay(payload));
    this.#heartbeat = setInterval(() => this.#broadcast(': heartbeat\n\n'), this.#heartbeatMs);
    this.#heartbeat.unref();
  }

  /** Starts streaming to `res` (headers included); the client is dropped when its socket closes. */
  add(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Tells nginx-style proxies not to buffer the stream.
      'x-accel-buffering': 'no',
    });
    res.write('retry: 5000\n: connected\n\n');
    this.#clients.add(res);
    res.on('close', () => this.#clients.delete(res));
  }

  /** Ends every stream (before the server closes, so close does not wait on them). */
  endClients(): void {
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }

  async stop(): Promise<void> {
    clearInterval(this.#heartbeat);
    this.endClients();
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    try {
      await unlisten?.();
    } catch (error) {
      // The database may already be closed (shutdown order); its LISTEN session went with it.
      this.#log.warn({ err: error }, 'could not UNLISTEN rankings channel');
    }
  }

  #relay(payload: string): void {
    this.#onNotify();
    const event = parseRankingsChanged(payload);
    if (!event) {
      this.#log.warn({ channel: RANKINGS_CHANNEL, payload }, 'ignored a malformed rankings notification');
      return;
    }
    this.#broadcast(`event: ${RANKINGS_EVENT}\ndata: ${JSON.stringify(event)}\n\n`);
  }

  #broadcast(frame: string): void {
    for (const res of this.#clients) {
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        res.destroy();
        this.#clients.delete(res);
        continue;
      }
      res.write(frame);
    }
  }
}
