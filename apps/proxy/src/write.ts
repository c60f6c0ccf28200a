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

/** Lines written by writeCoalesced during this turn of the event loop, per stream, sent together after it. */
let pending = new Map<Writable, string>();

function flushPending(): void {
  // Swapped first: a write may make a peer answer at once (in-memory streams), queueing lines for the next turn.
  const due = pending;
  pending = new Map();
  for (const [stream, data] of due) {
    if (!stream.destroyed && stream.writable) stream.write(data);
  }
}

/**
 * Queues `line` for `stream`; the lines queued for one stream during one turn of the event loop leave in one
 * write (in the loop's check phase, right after the reads of that turn). A pool connection carries the shares
 * of hundreds of miners whose submits arrive in the same turn: one system call for all of them instead of one
 * each. A stream whose queue (ours and Node's) passes `maxQueuedBytes` is destroyed, as in writeBounded.
 */
export function writeCoalesced(stream: Writable, line: string, maxQueuedBytes: number): boolean {
  if (stream.destroyed || !stream.writable) return false;
  const queued = pending.get(stream);
  if (queued === undefined) {
    if (pending.size === 0) setImmediate(flushPending);
    pending.set(stream, line);
  } else {
    pending.set(stream, queued + line);
  }
  if (stream.writableLength + (queued?.length ?? 0) + line.length > maxQueuedBytes) {
    pending.delete(stream);
    stream.destroy();
    return false;
  }
  return true;
}
