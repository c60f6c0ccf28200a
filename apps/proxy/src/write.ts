// The only socket writers: every line to a miner or a pool goes through here, with a bound on what may queue.

import type { Writable } from 'node:stream';

/**
 * Writes `data` unless the stream is gone. A peer that does not read lets Node queue our writes in user space
 * (`writableLength`); past `maxQueuedBytes` the stream is destroyed rather than buffered without end.
 * Returns false when nothing was written or the stream was dropped.
 */
export function writeBounded(stream: Writable, data: string | Buffer, maxQueuedBytes: number): boolean {
  if (stream.destroyed || !stream.writable) return false;
  stream.write(data);
  if (stream.writableLength > maxQueuedBytes) {
    stream.destroy();
    return false;
  }
  return true;
}

/** Streams written to in this turn of the event loop, with the lines held back for them since (or ''). */
let turn = new Map<Writable, string>();

function endTurn(): void {
  // Swapped first: a write may make an in-memory peer answer at once, which belongs to the next turn.
  const ended = turn;
  turn = new Map();
  for (const [stream, held] of ended) {
    if (held !== '' && !stream.destroyed && stream.writable) stream.write(held);
  }
}

/**
 * Writes `line` to a stream that carries many miners' lines (a shared pool connection). The first line of a
 * turn of the event loop leaves at once, so a lone share waits for nothing; lines after it in the same turn
 * are held and leave together in one write at the end of the turn (the check phase, right after that turn's
 * reads). Under load a turn reads the submits of hundreds of miners: one system call for all of them instead
 * of one each, on the proxy and on the pool. Bounded like writeBounded.
 */
export function writeCoalesced(stream: Writable, line: string, maxQueuedBytes: number): boolean {
  if (stream.destroyed || !stream.writable) return false;
  if (turn.size === 0) setImmediate(endTurn);
  const held = turn.get(stream);
  if (held === undefined) {
    turn.set(stream, '');
    return writeBounded(stream, line, maxQueuedBytes);
  }
  turn.set(stream, held + line);
  if (stream.writableLength + held.length + line.length > maxQueuedBytes) {
    turn.set(stream, '');
    stream.destroy();
    return false;
  }
  return true;
}
