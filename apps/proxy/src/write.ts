// The only socket writers: every line to a miner or a pool goes through here, with a bound on what may queue.

import type { Writable } from 'node:stream';
import { queuedBytes, writeNow } from './socket-write.ts';

/**
 * Writes `data` unless the stream is gone. A peer that does not read lets our writes queue (in Node's stream or in
 * libuv); past `maxQueuedBytes` the stream is destroyed rather than buffered without end.
 * Returns false when nothing was written or the stream was dropped.
 */
export function writeBounded(stream: Writable, data: string | Buffer, maxQueuedBytes: number): boolean {
  if (stream.destroyed || !stream.writable) return false;
  if (writeNow(stream, data) > maxQueuedBytes) {
    stream.destroy();
    return false;
  }
  return true;
}

/** Streams written to in this turn of the event loop, with the lines held back for them since (or ''). */
let turn = new Map<Writable, string>();
/** When this turn's first coalesced line was written (performance.now() ms). */
let turnStartMs = 0;

/**
 * How long into a turn lines still leave at once. A short turn (a few shares) costs a held line more latency than
 * the write it saves; a turn that has run this long is working through a backlog, where one write for many lines
 * is what lets the process catch up.
 */
const HOLD_AFTER_MS = 0.1;

function endTurn(): void {
  // Swapped first: a write may make an in-memory peer answer at once, which belongs to the next turn.
  const ended = turn;
  turn = new Map();
  for (const [stream, held] of ended) {
    if (held !== '' && !stream.destroyed && stream.writable) writeNow(stream, held);
  }
}

/**
 * Writes `line` to a stream that carries many miners' lines (a shared pool connection). Early in a turn of the
 * event loop (its first HOLD_AFTER_MS), a line leaves at once, so a lone share waits for nothing; later lines of
 * the same turn to the same stream are held and leave together in one write at the end of the turn (the check
 * phase, right after that turn's reads). Under load a turn reads the submits of hundreds of miners: one system call
 * for all of them instead of one each, on the proxy and on the pool. Bounded like writeBounded.
 */
export function writeCoalesced(
  stream: Writable,
  line: string,
  maxQueuedBytes: number,
  nowMs = performance.now(),
): boolean {
  if (stream.destroyed || !stream.writable) return false;
  if (turn.size === 0) {
    setImmediate(endTurn);
    turnStartMs = nowMs;
  }
  const held = turn.get(stream);
  // Nothing held for this stream yet, and the turn still young: at once (held lines keep their order otherwise).
  if (held === undefined || (held === '' && nowMs - turnStartMs < HOLD_AFTER_MS)) {
    turn.set(stream, '');
    return writeBounded(stream, line, maxQueuedBytes);
  }
  turn.set(stream, held + line);
  if (queuedBytes(stream) + held.length + line.length > maxQueuedBytes) {
    turn.set(stream, '');
    stream.destroy();
    return false;
  }
  return true;
}
