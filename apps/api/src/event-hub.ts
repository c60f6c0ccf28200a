// The event stream of one API instance: LISTEN for new ids of the event log, relay each event to the SSE
// clients with its id, resume a client from its Last-Event-ID, and announce a catch-up after the listener
// reconnects (events committed while it was down are read from the log, never lost).

import type { ServerResponse } from 'node:http';
import { CATCH_UP_EVENT, type CatchUpData, RANKINGS_CHANGED_EVENT } from '@smart-mining/api-contract';
import {
  type Db,
  EVENTS_CHANNEL,
  eventLogBounds,
  pruneEvents,
  readEventsAfter,
  type StoredEvent,
} from '@smart-mining/db';

export const HEARTBEAT_MS = 15_000;
export const EVENT_STREAM_TYPE = 'text/event-stream; charset=utf-8';

/** Events are kept this long for Last-Event-ID resumes; an older resume gets a catch-up instead. */
export const EVENT_RETENTION_S = 24 * 3600;
/** At most this many events are replayed to one client; more is a gap (catch-up). */
const REPLAY_LIMIT = 1000;
/** A client that buffers more than this is too slow to keep. */
const MAX_BUFFERED_BYTES = 1 << 20;
const RETRY_MS = 1000;

interface Logger {
  warn(obj: object, msg: string): void;
}

interface Client {
  /** While its replay is read, live frames wait here (with their ids) so nothing arrives out of order. */
  pending?: { id: number; frame: string }[];
}

export interface EventHubOptions {
  log: Logger;
  heartbeatMs?: number;
  /** Called for every market event relayed (not proxy reports) and every catch-up (the market cache reloads). */
  onChange?: () => void;
  retentionS?: number;
  now?: () => Date;
}

export interface EventHubState {
  listening: boolean;
  since: Date | null;
  lastEventId: number | null;
  clients: number;
}

function frame(id: number, type: string, data: unknown): string {
  return `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

function eventFrame(e: StoredEvent): string {
  return frame(e.id, e.type, { id: e.id, at: e.at, ...e.payload });
}

export class EventHub {
  readonly #db: Db;
  readonly #options: Required<Omit<EventHubOptions, 'onChange'>> & { onChange: () => void };
  readonly #clients = new Map<ServerResponse, Client>();
  #unlisten?: () => Promise<void>;
  #timers: NodeJS.Timeout[] = [];
  #stopped = false;
  #listening = false;
  #everListened = false;
  #since: Date | null = null;
  #lastId = 0;
  /** Ids relayed lately: a late commit with a lower id is still relayed once, never twice. */
  readonly #recent = new Set<number>();
  #notified: number[] = [];
  #catchUpPending = false;
  #draining?: Promise<void>;
  #drainAgain = false;

  constructor(db: Db, options: EventHubOptions) {
    this.#db = db;
    // `??`, not a spread: an option passed as undefined keeps its default (a 1 ms heartbeat otherwise).
    this.#options = {
      log: options.log,
      heartbeatMs: options.heartbeatMs ?? HEARTBEAT_MS,
      retentionS: options.retentionS ?? EVENT_RETENTION_S,
      now: options.now ?? (() => new Date()),
      onChange: options.onChange ?? (() => {}),
    };
  }

  get state(): EventHubState {
    return {
      listening: this.#listening,
      since: this.#since,
      lastEventId: this.#lastId > 0 ? this.#lastId : null,
      clients: this.#clients.size,
    };
  }

  async start(): Promise<void> {
    if (this.#unlisten) return;
    this.#lastId = (await eventLogBounds(this.#db)).newest ?? 0;
    this.#unlisten = await this.#db.listen(
      EVENTS_CHANNEL,
      (payload) => this.#onNotify(payload),
      (connected) => this.#onConnection(connected),
    );
    const every = (ms: number, fn: () => void) => {
      const timer = setInterval(fn, ms);
      timer.unref();
      this.#timers.push(timer);
    };
    every(this.#options.heartbeatMs, () => this.#broadcast(': heartbeat\n\n'));
    every(3600_000, () => void this.prune());
  }

  /** Starts streaming to `res`; with `lastEventId`, first replays what the client missed. */
  add(res: ServerResponse, lastEventId?: number): void {
    res.writeHead(200, {
      'content-type': EVENT_STREAM_TYPE,
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Tells nginx-style proxies not to buffer the stream.
      'x-accel-buffering': 'no',
    });
    const client: Client = {};
    this.#clients.set(res, client);
    res.on('close', () => this.#clients.delete(res));
    if (lastEventId === undefined) {
      // The id line (no data) sets the client's Last-Event-ID, so even a client that saw no event resumes.
      res.write(`retry: 5000\nid: ${this.#lastId}\n: connected\n\n`);
      return;
    }
    res.write('retry: 5000\n: connected\n\n');
    client.pending = [];
    void this.#replay(res, client, lastEventId);
  }

  /** Ends every stream (before the server closes, so close does not wait on them). */
  endClients(): void {
    for (const res of this.#clients.keys()) res.end();
    this.#clients.clear();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearInterval(timer);
    this.endClients();
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    try {
      await unlisten?.();
    } catch (error) {
      // The database may already be closed (shutdown order); its LISTEN session went with it.
      this.#options.log.warn({ err: error }, 'could not UNLISTEN the events channel');
    }
    await this.#draining;
  }

  /** Deletes events past the retention; any instance may do it, the deletes do not conflict. */
  async prune(): Promise<number> {
    const before = new Date(this.#options.now().getTime() - this.#options.retentionS * 1000);
    try {
      return await pruneEvents(this.#db, before);
    } catch (error) {
      this.#options.log.warn({ err: error }, 'could not prune the event log');
      return 0;
    }
  }

  #onNotify(payload: string): void {
    const id = Number(payload);
    if (!Number.isSafeInteger(id) || id <= 0) {
      this.#options.log.warn({ channel: EVENTS_CHANNEL, payload }, 'ignored a malformed event notification');
      return;
    }
    this.#notified.push(id);
    void this.#drain();
  }

  #onConnection(connected: boolean): void {
    this.#listening = connected;
    this.#since = this.#options.now();
    if (!connected) return;
    // A reconnect (not the first connect): whatever was committed meanwhile is read from the log.
    if (this.#everListened) {
      this.#catchUpPending = true;
      void this.#drain();
    }
    this.#everListened = true;
  }

  /** Reads and relays every event after the last one relayed; one drain at a time. */
  #drain(): Promise<void> {
    if (this.#draining) {
      this.#drainAgain = true;
      return this.#draining;
    }
    this.#draining = this.#drainLoop().finally(() => {
      this.#draining = undefined;
    });
    return this.#draining;
  }

  async #drainLoop(): Promise<void> {
    do {
      this.#drainAgain = false;
      const late = this.#notified.splice(0).filter((id) => id <= this.#lastId && !this.#recent.has(id));
      let events: StoredEvent[];
      try {
        events = await readEventsAfter(this.#db, this.#lastId, REPLAY_LIMIT, late);
      } catch (error) {
        this.#options.log.warn({ err: error }, 'could not read the event log; retrying');
        this.#notified.push(...late);
        this.#retrySoon();
        return;
      }
      let replayed = 0;
      let marketChanged = false;
      for (const e of events) {
        if (this.#recent.has(e.id)) continue;
        this.#remember(e.id);
        this.#broadcast(eventFrame(e), e.id);
        replayed += 1;
        if (e.type === RANKINGS_CHANGED_EVENT) marketChanged = true;
      }
      if (marketChanged || this.#catchUpPending) this.#options.onChange();
      if (this.#catchUpPending) {
        this.#catchUpPending = false;
        this.#broadcastCatchUp({
          reason: 'listener-reconnected',
          lastEventId: this.state.lastEventId,
          replayed,
        });
      }
      if (events.length === REPLAY_LIMIT) this.#drainAgain = true;
    } while (this.#drainAgain && !this.#stopped);
  }

  #retrySoon(): void {
    if (this.#stopped) return;
    const timer = setTimeout(() => void this.#drain(), RETRY_MS);
    timer.unref();
  }

  #remember(id: number): void {
    if (id > this.#lastId) this.#lastId = id;
    this.#recent.add(id);
    if (this.#recent.size > 4 * REPLAY_LIMIT) {
      for (const old of this.#recent) {
        this.#recent.delete(old);
        if (this.#recent.size <= REPLAY_LIMIT) break;
      }
    }
  }

  async #replay(res: ServerResponse, client: Client, lastEventId: number): Promise<void> {
    let events: StoredEvent[] = [];
    let gap = true;
    // Where the client stands in this log: an id it never had (a database restored or replaced) stands for
    // none, so the catch-up's id is the newest one and live events after it all reach the client.
    let resumeFrom = lastEventId;
    try {
      const { oldest, newest } = await eventLogBounds(this.#db);
      events = await readEventsAfter(this.#db, lastEventId, REPLAY_LIMIT + 1);
      const unknown = lastEventId > Math.max(newest ?? 0, this.#lastId);
      if (unknown) resumeFrom = 0;
      // Pruned past the client's id, more than we replay, or an id this log never had.
      gap = (oldest !== null && oldest > lastEventId + 1) || events.length > REPLAY_LIMIT || unknown;
    } catch (error) {
      this.#options.log.warn({ err: error }, 'could not replay events to a resuming client');
    }
    if (res.destroyed) return;
    const shown = events.slice(0, REPLAY_LIMIT);
    for (const e of shown) res.write(eventFrame(e));
    const replayedUpTo = shown.at(-1)?.id ?? resumeFrom;
    if (gap) {
      const data: CatchUpData = {
        reason: 'resume-gap',
        lastEventId: this.state.lastEventId,
        replayed: shown.length,
      };
      res.write(frame(Math.max(replayedUpTo, this.#lastId), CATCH_UP_EVENT, data));
    }
    const pending = client.pending ?? [];
    client.pending = undefined;
    for (const p of pending) if (p.id === 0 || p.id > replayedUpTo) res.write(p.frame);
  }

  #broadcastCatchUp(data: CatchUpData): void {
    this.#broadcast(frame(this.#lastId, CATCH_UP_EVENT, data), 0);
  }

  /** `id` 0: not an event of the log (heartbeat, catch-up). */
  #broadcast(text: string, id = 0): void {
    for (const [res, client] of this.#clients) {
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        res.destroy();
        this.#clients.delete(res);
        continue;
      }
      if (client.pending) client.pending.push({ id, frame: text });
      else res.write(text);
    }
  }
}
