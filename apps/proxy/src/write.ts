// The only socket writer: every line to a miner or a pool goes through here, with a bound on what may queue.

import type { Duplex } from 'node:stream';

/**
 * Writes `data` unless the stream is gone. A peer that does not read lets Node queue our writes in user space
 * (`writableLength`); past `maxQueuedBytes` the stream is destroyed rather than buffered without end.
 * Returns false when nothing was written or the stream was dropped.
 */
export function writeBounded(stream: Duplex, data: string | Buffer, maxQueuedBytes: number): boolean {
  if (stream.destroyed || !stream.writable) return false;
  stream.write(data);
  if (stream.writableLength > maxQueuedBytes) {
    stream.destroy();
    return false;
  }
  return true;
}
