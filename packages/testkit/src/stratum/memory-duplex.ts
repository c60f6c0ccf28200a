// Two in-memory Duplex ends wired to each other (Node 20 has no stream.duplexPair): a connection without a port.

import { Duplex } from 'node:stream';

/** What one end writes the other reads; ending or destroying one ends the other. */
export function memoryDuplexPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const make = (peerIndex: number) =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        const peer = ends[peerIndex]!;
        if (!peer.destroyed) peer.push(chunk);
        callback();
      },
      final(callback) {
        const peer = ends[peerIndex]!;
        if (!peer.destroyed) peer.push(null);
        callback();
      },
      destroy(error, callback) {
        const peer = ends[peerIndex]!;
        if (!peer.destroyed) peer.destroy();
        callback(error);
      },
    });
  ends.push(make(1), make(0));
  return [ends[0]!, ends[1]!];
}
