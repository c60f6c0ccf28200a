// Writes to a plain TCP socket's handle, without Node's stream machinery per write.
//
// socket.write() allocates a write request (a C++ object) per call and runs the Writable bookkeeping, though nearly
// every line the proxy writes leaves in one system call at once. Here one request object is reused for as long as
// writes finish at once (the native side keeps it only for a write that has to wait). The stream's own path is used
// instead while it holds anything (its queue goes first), while it connects, for TLS and non-socket streams, and on
// a Node without the binding this expects. Order holds either way: both paths end in the same libuv write queue.

import { Socket } from 'node:net';
import type { Writable } from 'node:stream';

interface WriteReq {
  handle: unknown;
  oncomplete: (this: WriteReq, status: number) => void;
  buffer: unknown;
  socket: Socket | null;
}

interface StreamWrapBinding {
  WriteWrap: new () => WriteReq;
  streamBaseState: { [i: number]: number };
  kLastWriteWasAsync: number;
}

interface TcpHandle {
  writeBuffer(req: WriteReq, data: Uint8Array): number;
  writeUtf8String(req: WriteReq, data: string): number;
  readonly writeQueueSize: number;
}

let binding: StreamWrapBinding | null | undefined;
let spare: WriteReq | undefined;

function streamWrap(): StreamWrapBinding | null {
  if (binding !== undefined) return binding;
  binding = null;
  try {
    const b = (process as unknown as { binding(name: string): Partial<StreamWrapBinding> }).binding(
      'stream_wrap',
    );
    if (
      typeof b.WriteWrap === 'function' &&
      typeof b.kLastWriteWasAsync === 'number' &&
      b.streamBaseState !== undefined
    ) {
      binding = b as StreamWrapBinding;
    }
  } catch {
    // No such binding here: the stream path it is.
  }
  return binding;
}

/** A write that had to wait ended: a failure ends the socket, as the stream path would. */
function onComplete(this: WriteReq, status: number): void {
  const socket = this.socket;
  this.socket = null;
  this.buffer = null;
  if (status < 0 && socket !== null && !socket.destroyed) socket.destroy();
}

/** The socket's TCP handle when a direct write may go to it now, else undefined. */
function directHandle(stream: Writable): TcpHandle | undefined {
  if (!(stream instanceof Socket) || stream.connecting || stream.writableLength > 0) return undefined;
  if ((stream as { encrypted?: boolean }).encrypted === true) return undefined;
  const handle = (stream as unknown as { _handle?: Partial<TcpHandle> | null })._handle;
  if (
    handle == null ||
    typeof handle.writeBuffer !== 'function' ||
    typeof handle.writeUtf8String !== 'function'
  )
    return undefined;
  return handle as TcpHandle;
}

/**
 * Writes `data` to the stream (which must be writable). Returns the bytes it holds queued afterwards: the stream's
 * own queue, and for a socket also what libuv keeps for a peer that does not read.
 */
export function writeNow(stream: Writable, data: string | Buffer): number {
  const b = streamWrap();
  const handle = b === null ? undefined : directHandle(stream);
  if (b === null || handle === undefined) {
    stream.write(data);
    return queuedBytes(stream);
  }
  const req = spare ?? new b.WriteWrap();
  spare = undefined;
  req.handle = handle;
  req.oncomplete = onComplete;
  req.buffer = null;
  req.socket = null;
  const err = typeof data === 'string' ? handle.writeUtf8String(req, data) : handle.writeBuffer(req, data);
  if (err !== 0) {
    spare = req;
    stream.destroy();
    return 0;
  }
  if (b.streamBaseState[b.kLastWriteWasAsync]) {
    // libuv holds the rest until the peer reads: the request (and the bytes) stay with it until oncomplete.
    req.buffer = data;
    req.socket = stream as Socket;
  } else {
    spare = req;
  }
  return handle.writeQueueSize;
}

/** Bytes written to the stream and not yet taken by the kernel: its own queue and, for a socket, libuv's. */
export function queuedBytes(stream: Writable): number {
  const handle = (stream as unknown as { _handle?: { writeQueueSize?: unknown } | null })._handle;
  return stream.writableLength + (typeof handle?.writeQueueSize === 'number' ? handle.writeQueueSize : 0);
}
