// Incremental `\n` framing of a byte stream into lines, with a length cap and no buffer kept between lines.

import { StratumError } from './errors.ts';

/** Receives what a framer finds; a session usually implements this itself (no closure per connection). */
export interface LineSink {
  /**
   * A complete line: UTF-8 decoded, without `\n`, a trailing `\r` or a leading byte-order mark; lines of
   * whitespace alone are skipped like empty ones.
   */
  onLine(line: string): void;
  /** A line longer than the cap (SM_STRATUM_LINE_TOO_LONG), reported once; the framer drops it and goes on. */
  onLineError(error: StratumError): void;
}

const LF = 0x0a;
const CR = 0x0d;
/** JSON's insignificant whitespace: space, tab, CR (LF ends the line). */
const isBlank = (byte: number) => byte === 0x20 || byte === 0x09 || byte === CR;
const FIRST_CAPACITY = 256;

/**
 * Splits chunks into lines. Memory: between lines it holds no buffer at all; a partial line is copied out of
 * the chunk (never a view that would pin the socket's buffer) into a buffer that doubles up to the cap.
 * A complete line inside one chunk is decoded straight from that chunk, without any copy.
 * An oversized line is reported as soon as it passes the cap, then discarded up to its `\n`.
 */
export class LineFramer {
  readonly maxLineBytes: number;
  #sink: LineSink;
  #pending: Buffer | undefined;
  #pendingBytes = 0;
  #discarding = false;

  constructor(maxLineBytes: number, sink: LineSink) {
    this.maxLineBytes = maxLineBytes;
    this.#sink = sink;
  }

  /** Bytes of an incomplete line held right now (0 between lines). */
  get bufferedBytes(): number {
    return this.#pendingBytes;
  }

  /** Frames `chunk[0, end)`; nothing of `chunk` is kept after the call (it may be a reused read buffer). */
  push(chunk: Buffer, end = chunk.length): void {
    let start = 0;
    while (start < end) {
      const nl = chunk.indexOf(LF, start);
      if (nl === -1 || nl >= end) {
        this.#keep(chunk, start, end);
        return;
      }
      this.#finish(chunk, start, nl);
      start = nl + 1;
    }
  }

  /** Drops a pending partial line (e.g. when the connection closes). */
  reset(): void {
    this.#pending = undefined;
    this.#pendingBytes = 0;
    this.#discarding = false;
  }

  #finish(chunk: Buffer, start: number, nl: number): void {
    if (this.#discarding) {
      this.#discarding = false;
      return;
    }
    const pending = this.#pending;
    if (pending === undefined) {
      this.#emit(chunk, start, nl);
      return;
    }
    const total = this.#pendingBytes + (nl - start);
    if (total > this.maxLineBytes + 1) {
      // +1: a `\r` that ends exactly at the cap is not content.
      this.reset();
      this.#tooLong(total);
      return;
    }
    const line = total > pending.length ? this.#grow(total) : pending;
    chunk.copy(line, this.#pendingBytes, start, nl);
    this.#pending = undefined;
    this.#pendingBytes = 0;
    this.#emit(line, 0, total);
  }

  #emit(bytes: Buffer, start: number, end: number): void {
    const last = end > start && bytes[end - 1] === CR ? end - 1 : end;
    if (last - start > this.maxLineBytes) {
      this.#tooLong(last - start);
      return;
    }
    // A UTF-8 byte-order mark (some editors and Windows tools write one) is not part of the JSON.
    let first = start;
    if (last - first >= 3 && bytes[first] === 0xef && bytes[first + 1] === 0xbb && bytes[first + 2] === 0xbf)
      first += 3;
    // A blank keepalive line (" ", "\t", "\r\r") carries nothing: skipped, never a malformed line.
    while (first < last && isBlank(bytes[first]!)) first++;
    if (last > first) this.#sink.onLine(bytes.toString('utf8', first, last));
  }

  #keep(chunk: Buffer, start: number, end: number): void {
    if (this.#discarding) return;
    const total = this.#pendingBytes + (end - start);
    if (total > this.maxLineBytes + 1) {
      this.reset();
      this.#discarding = true;
      this.#tooLong(total);
      return;
    }
    const into =
      this.#pending === undefined || total > this.#pending.length ? this.#grow(total) : this.#pending;
    chunk.copy(into, this.#pendingBytes, start, end);
    this.#pendingBytes = total;
  }

  /** A buffer of at least `bytes`, holding the pending bytes; capacity doubles, capped at max + 1. */
  #grow(bytes: number): Buffer {
    let capacity = this.#pending?.length || FIRST_CAPACITY;
    while (capacity < bytes) capacity *= 2;
    capacity = Math.max(bytes, Math.min(capacity, this.maxLineBytes + 1));
    // allocUnsafeSlow: our own memory, not a slice of the shared pool that would pin 8 KiB per connection.
    const next = Buffer.allocUnsafeSlow(capacity);
    this.#pending?.copy(next, 0, 0, this.#pendingBytes);
    this.#pending = next;
    return next;
  }

  #tooLong(bytes: number): void {
    this.#sink.onLineError(
      new StratumError('SM_STRATUM_LINE_TOO_LONG', `${bytes} bytes so far, cap ${this.maxLineBytes}`),
    );
  }
}
