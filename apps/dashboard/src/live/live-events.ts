// The live link to /v1/events: its state (connecting, live, lost) and a version that grows on every change.

export type LiveState = 'connecting' | 'live' | 'lost';

export interface LiveSnapshot {
  state: LiveState;
  /** Grows on each change event and on each reconnection (events may have been missed meanwhile). */
  version: number;
  lastEventAt: Date | null;
}

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
  #snapshot: LiveSnapshot = { state: 'connecting', version: 0, lastEventAt: null };

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
        this.#set({ version: this.#snapshot.version + 1, lastEventAt: new Date() }),
      );
    }
  }

  #set(change: Partial<LiveSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...change };
    for (const listener of this.#listeners) listener(this.#snapshot);
  }
}
