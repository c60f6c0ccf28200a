// Socket reads into one buffer shared by every socket of the process, without Node's stream machinery per read.
//
// By default each read gets a fresh 64 KiB backing store that is shrunk, wrapped in a Buffer and pushed through
// Readable to 'data' listeners: most of a miner message's read cost. `net.connect({ onread })` avoids it for
// client sockets; an accepted socket has no public option, so this sets the very state that option sets (Node's
// own symbols, found by name and checked) and switches the handle to the buffer. Anything missing or different:
// false, and the caller reads through 'data' as before.
//
// One buffer for all is safe: a read fills it and calls back synchronously, and the callback keeps nothing that
// points into it (the line framer decodes complete lines and copies a partial one).

import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** Called with the bytes read, in `buffer[0, bytes)`; `this` is the socket. Valid only during the call. */
export type ReadCallback = (this: Socket, bytes: number, buffer: Buffer) => void;

const READ_BUFFER_BYTES = 64 * 1024;

interface OnreadKeys {
  buffer: symbol;
  callback: symbol;
  generator: symbol;
}

type Keyed = Record<symbol, unknown>;
interface UserBufferHandle {
  useUserBuffer?: (buffer: Uint8Array) => void;
}

let keys: OnreadKeys | null | undefined;
let shared: Buffer | undefined;

/** The symbols behind `onread`, if this Node keeps them the way this module expects (null otherwise). */
function onreadKeys(): OnreadKeys | null {
  if (keys !== undefined) return keys;
  keys = null;
  const probe = new Socket() as unknown as Keyed;
  const named = new Map<string | undefined, symbol>();
  for (const s of Object.getOwnPropertySymbols(probe)) named.set(s.description, s);
  const buffer = named.get('kBuffer');
  const callback = named.get('kBufferCb');
  const generator = named.get('kBufferGen');
  if (buffer === undefined || callback === undefined || generator === undefined) return null;
  // A socket made without onread holds null in all three: anything else means a layout we do not know.
  if (probe[buffer] !== null || probe[callback] !== null || probe[generator] !== null) return null;
  keys = { buffer, callback, generator };
  return keys;
}

/**
 * Makes a plain TCP socket (an accepted one, not yet read from) deliver its reads to `callback` from the shared
 * buffer instead of emitting 'data'. End, errors, close, pause() and end() behave as usual. Returns false, and
 * changes nothing, for TLS sockets, other streams, or a Node whose internals differ.
 */
export function readIntoSharedBuffer(stream: Duplex, callback: ReadCallback): boolean {
  if (!(stream instanceof Socket) || (stream as { encrypted?: boolean }).encrypted === true) return false;
  const k = onreadKeys();
  if (k === null) return false;
  const socket = stream as unknown as Keyed & { _handle?: UserBufferHandle | null };
  const handle = socket._handle;
  if (handle == null || typeof handle.useUserBuffer !== 'function') return false;
  // Already reading through the stream (or already switched): leave it as it is.
  if (socket[k.buffer] !== null || stream.readableLength > 0 || stream.listenerCount('data') > 0)
    return false;
  shared ??= Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
  try {
    handle.useUserBuffer(shared);
  } catch {
    return false;
  }
  socket[k.buffer] = shared;
  socket[k.callback] = callback;
  return true;
}
