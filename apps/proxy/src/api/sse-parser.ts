// A Server-Sent Events parser (the WHATWG event-stream format): text chunks in, complete events out. Kept small
// and separate so the stream client only deals with connections.

export interface SseEvent {
  /** `message` when the frame named none. */
  event: string;
  data: string;
  /** The last event id in force after this event (ids carry over frames that set none). */
  lastEventId: string;
}

export interface SseParseResult {
  events: SseEvent[];
  /** A `retry:` field's reconnection time in ms, when one arrived in this chunk. */
  retryMs?: number;
}

/** Feeds on decoded text; a line may be split across chunks, and CRLF, LF and CR all end lines. */
export class SseParser {
  #buffer = '';
  #event = '';
  #data: string[] = [];
  #hasData = false;
  #lastEventId = '';
  /** A CR ended the previous chunk: a LF opening the next one belongs to it. */
  #pendingCr = false;

  constructor(lastEventId = '') {
    this.#lastEventId = lastEventId;
  }

  get lastEventId(): string {
    return this.#lastEventId;
  }

  push(chunk: string): SseParseResult {
    const result: SseParseResult = { events: [] };
    let text = chunk;
    if (this.#pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.#pendingCr = false;
    this.#buffer += text;
    let start = 0;
    for (let i = 0; i < this.#buffer.length; i++) {
      const c = this.#buffer.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.#line(this.#buffer.slice(start, i), result);
      if (c === 13) {
        if (i + 1 < this.#buffer.length) {
          if (this.#buffer.charCodeAt(i + 1) === 10) i++;
        } else this.#pendingCr = true;
      }
      start = i + 1;
    }
    this.#buffer = this.#buffer.slice(start);
    return result;
  }

  #line(line: string, result: SseParseResult): void {
    if (line === '') {
      this.#dispatch(result);
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#event = value;
        break;
      case 'data':
        this.#data.push(value);
        this.#hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.#lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) result.retryMs = Number(value);
        break;
      default:
      // Unknown fields are ignored, as the format says.
    }
  }

  #dispatch(result: SseParseResult): void {
    if (this.#hasData) {
      result.events.push({
        event: this.#event === '' ? 'message' : this.#event,
        data: this.#data.join('\n'),
        lastEventId: this.#lastEventId,
      });
    }
    this.#event = '';
    this.#data = [];
    this.#hasData = false;
  }
}
