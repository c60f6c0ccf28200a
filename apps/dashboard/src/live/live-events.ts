// The live link to /v1/events: its state (connecting, live, lost) and a version that grows on every change.

export type LiveState = 'connecting' | 'live' | 'lost';

export interface LiveSnapshot {
  state: LiveState;
  /** Grows on each reconnection (events may have been missed meanwhile) and each catch-up. */
  version: number;
  /** How many of each event arrived: a view reloads on the events it shows (a miners report is not a market change). */
  counts: Readonly<Record<string, number>>;
  lastEventAt: Date | null;
}

/** Grows whenever one of `events` arrives, and on every reconnection: what a view reloads on. */
export function versionOf(snapshot: LiveSnapshot, events: readonly string[]): number {
  return events.reduce((sum, name) => sum + (snapshot.counts[name] ?? 0), snapshot.version);
}

/** Events may have been missed: re-read everything (sent by the API after its listener reconnected). */
const CATCH_UP = 'catch-up';

type Listener = (snapshot: LiveSnapshot) => void;

/** After the server refuses the stream (EventSource gives up), how long until we open a new one. */
const REOPEN_MS = 5_000;

export class LiveEvents {
  readonly #url: string;
  readonly #events: readonly string[];
  readonly #listeners = new Set<Listener>();
  #source: EventSource | null = null;
  #reopenTimer: ReturnType<typeof setTimeout> | undefined;
  #wasLost = false;
  #snapshot: LiveSnapshot = { state: 'connecting', version: 0, counts: {}, lastEventAt: null };

  constructor(url: string, events: readonly string[]) {
    this.#url = url;
    this.#events = events;
  }

  get snapshot(): LiveSnapshot {
    return this.#snapshot;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    if (!this.#source) this.#open();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.close();
    };
  }

  close(): void {
    clearTimeout(this.#reopenTimer);
    this.#source?.close();
    this.#source = null;
  }

  #open(): void {
    const source = new EventSource(this.#url);
    this.#source = source;
    source.onopen = () => {
      // A reconnection: whatever changed while we were away is reloaded.
      const bump = this.#wasLost ? 1 : 0;
      this.#wasLost = false;
      this.#set({ state: 'live', version: this.#snapshot.version + bump });
    };
    source.onerror = () => {
      this.#wasLost = true;
      this.#set({ state: 'lost' });
      // CONNECTING: the browser retries by itself (the server's `retry:`); CLOSED: it gave up, so do we reopen.
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        this.#reopenTimer = setTimeout(() => this.#open(), REOPEN_MS);
      }
    };
    for (const name of this.#events) {
      source.addEventListener(name, () =>
        this.#set({
          counts: { ...this.#snapshot.counts, [name]: (this.#snapshot.counts[name] ?? 0) + 1 },
          lastEventAt: new Date(),
        }),
      );
    }
    source.addEventListener(CATCH_UP, () =>
      this.#set({ version: this.#snapshot.version + 1, lastEventAt: new Date() }),
    );
  }

  #set(change: Partial<LiveSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...change };
    for (const listener of this.#listeners) listener(this.#snapshot);
  }
}
