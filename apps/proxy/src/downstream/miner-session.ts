// One miner connection: its state, its framer sink, hostile-input guards, and the shared socket listeners.
//
// Memory (PROXY.md): one plain object per miner, no closure per connection (the listeners below are shared
// functions that find the session through a symbol on the socket), no timer per connection (the proxy's one
// sweeper checks the timestamps kept here), and a framer that holds no buffer between lines.

import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  decodeV1Call,
  encodeError,
  LineFramer,
  type LineSink,
  parseMessage,
  type RpcId,
  type RpcMessage,
  type StratumError,
  type V1Call,
  type WireErrorName,
  wireError,
  wireErrorFor,
} from '@smart-mining/stratum';
import type { ListenerRuntime, ProxyContext } from '../context.ts';
import type { Account } from '../ports.ts';
import { readIntoSharedBuffer } from '../read.ts';
import type { Route } from '../routing/route.ts';
import type { Upstream } from '../upstream/upstream.ts';
import { writeBounded } from '../write.ts';
import type { MinerLogin } from './login.ts';

/** One state, not a set of flags. `closing`: told to reconnect, the socket is ending. */
export type MinerState = 'connected' | 'subscribed' | 'authorizing' | 'authorized' | 'closing' | 'closed';

/**
 * Where a connection comes from; `listener` names the listener when the proxy has several. The local address
 * (sent back in client.reconnect) is read from a socket when needed; give it here for other streams.
 */
export interface ConnectionInfo {
  listener?: string;
  remoteAddress?: string;
  localAddress?: string;
  localPort?: number;
}

/** Handles one decoded call (the dispatch table in handlers/index.ts). */
export type Dispatch = (session: MinerSession, call: V1Call) => void;

/** Set once by the dispatch table's module (kept out of each session). */
let dispatch: Dispatch = () => {};
export function setMinerDispatch(d: Dispatch): void {
  dispatch = d;
}

const kSession = Symbol('minerSession');
type SessionSocket = Duplex & { [kSession]: MinerSession };

function onData(this: SessionSocket, chunk: Buffer): void {
  this[kSession].onData(chunk, chunk.length);
}
function onRead(this: Socket, bytes: number, buffer: Buffer): void {
  (this as unknown as SessionSocket)[kSession].onData(buffer, bytes);
}
function onEnd(this: SessionSocket): void {
  this.destroy();
}
function onClose(this: SessionSocket): void {
  this[kSession].onClosed();
}
function ignoreError(): void {}

let nextSessionId = 1;
const CLOSE_LINGER_MS = 2000;

export class MinerSession implements LineSink {
  readonly id = nextSessionId++;
  readonly socket: Duplex;
  readonly listener: ListenerRuntime;
  readonly remoteAddress: string;
  /** Only for streams that are not sockets (tests): the address the miner connected to. */
  readonly local: { address: string; port: number } | null;
  state: MinerState = 'connected';
  readonly framer: LineFramer;
  /** Lane and slot; -1 before subscribe. extranonce1 is X, the slot as hex. */
  lane = -1;
  slot = -1;
  extranonce1 = '';
  extranonce2Size: number;
  /**
   * The size in force before the last mining.set_extranonce (0: none): shares the miner found on jobs it got
   * before the change still carry it (NiceHash extension: the new size applies from the next notify).
   */
  previousExtranonce2Size = 0;
  agent: string | null = null;
  /** Sent mining.extranonce.subscribe (or configure's subscribe-extranonce): takes mining.set_extranonce. */
  extranonceSubscribed = false;
  /** The mask the miner asked for in mining.configure (0: no version rolling), and the mask in force. */
  requestedMask = 0;
  versionMask = 0;
  login: MinerLogin | null = null;
  /** Ids of further authorizes (other workers) answered with the pending first login's verdict. */
  authorizeWaiting: RpcId[] | null = null;
  account: Account | null = null;
  /**
   * The miner's own share difficulty (0: the pool's), capped at the pool's: `d=` from the password, else its
   * suggest_difficulty (or suggest_target), else vardiff's. A change takes effect with the next job sent (sendJob):
   * jobs from `fixedFromJobSeq` on (and `fixedOlderJobSeq`) are judged at fixedDifficulty, older ones at the one
   * before it.
   */
  fixedDifficulty = 0;
  previousFixedDifficulty = 0;
  fixedFromJobSeq = 0;
  /**
   * A job made before `fixedFromJobSeq` but sent at fixedDifficulty (the current job of the upstream the miner
   * moved to after the change; 0: none), and the newest job the miner was sent (UpstreamJob.seq).
   */
  fixedOlderJobSeq = 0;
  lastJobSeq = 0;
  /** From mining.suggest_difficulty / suggest_target (0: none); `d=` wins over it. */
  suggestedDifficulty = 0;
  /**
   * Set by vardiff.ts for a miner that chose none (0: the pool's), and the expected hashes of the shares it
   * counts since vardiffSinceS (each at the difficulty it was judged at).
   */
  vardiffDifficulty = 0;
  vardiffHashes = 0;
  vardiffSinceS: number;
  route: Route | null = null;
  /** The upstream whose jobs the miner mines, and the one it waits to move to (its first job). */
  upstream: Upstream | null = null;
  joining: Upstream | null = null;
  /** The last difficulty sent with mining.set_difficulty (0: none yet). */
  sentDifficulty = 0;
  readonly connectedAtS: number;
  lastLineAtS: number;
  /** When the miner was last sent a job (0: never): work reaching it is not idleness (the idle check). */
  lastJobAtS = 0;
  /** When the partial line now pending began (0: none): the slow-loris check. */
  partialSinceS = 0;
  closingAtS = 0;
  /** Shares forwarded to a pool and not yet answered: a miner told to reconnect still gets their verdicts. */
  sharesInFlight = 0;
  tokens: number;
  tokensAtS: number;
  badLines = 0;
  accepted = 0;
  rejected = 0;
  stale = 0;
  /** Expected hashes of accepted shares since the last hashrate roll, and the estimate. */
  windowHashes = 0;
  hashrateHs = 0;

  constructor(listener: ListenerRuntime, socket: Duplex, info: ConnectionInfo) {
    const ctx = listener.ctx;
    this.listener = listener;
    this.socket = socket;
    this.remoteAddress = info.remoteAddress ?? 'unknown';
    this.local =
      info.localAddress !== undefined && info.localPort !== undefined
        ? { address: info.localAddress, port: info.localPort }
        : null;
    this.extranonce2Size = listener.config.extranonce2Size;
    this.framer = new LineFramer(listener.config.limits.maxLineBytes, this);
    this.connectedAtS = ctx.nowS;
    this.lastLineAtS = ctx.nowS;
    this.vardiffSinceS = ctx.nowS;
    this.tokens = listener.config.limits.messageBurst;
    this.tokensAtS = ctx.nowS;
    const s = socket as SessionSocket;
    s[kSession] = this;
    // A TCP socket reads into the process's one read buffer; other streams (TLS, in-memory) through 'data'.
    if (!readIntoSharedBuffer(socket, onRead)) s.on('data', onData);
    // Server sockets end themselves when the peer ends (allowHalfOpen false); other streams may not.
    if ((socket as { allowHalfOpen?: boolean }).allowHalfOpen !== false) s.on('end', onEnd);
    s.on('error', ignoreError);
    s.on('close', onClose);
  }

  get ctx(): ProxyContext {
    return this.listener.ctx;
  }

  /** The address the miner connected to (for client.reconnect). */
  localAddress(): { address: string; port: number } | null {
    if (this.local !== null) return this.local;
    const socket = this.socket as { localAddress?: string; localPort?: number };
    return socket.localAddress !== undefined && socket.localPort !== undefined
      ? { address: socket.localAddress, port: socket.localPort }
      : null;
  }

  get authorized(): boolean {
    return this.state === 'authorized';
  }

  /** Bytes `chunk[0, end)` from the miner (the chunk may be a shared buffer: nothing here keeps it). */
  onData(chunk: Buffer, end: number): void {
    if (this.state === 'closed') return;
    this.framer.push(chunk, end);
    if (this.framer.bufferedBytes === 0) this.partialSinceS = 0;
    else if (this.partialSinceS === 0) this.partialSinceS = this.ctx.nowS;
  }

  onLine(line: string): void {
    if (this.state === 'closed') return;
    this.lastLineAtS = this.ctx.nowS;
    if (!this.#takeToken()) {
      this.send(encodeError(null, wireError('other', 'Rate limit exceeded: too many messages')));
      this.close('flood');
      return;
    }
    let msg: RpcMessage;
    try {
      msg = parseMessage(line);
    } catch (e) {
      this.#badLine(null, e);
      return;
    }
    // Answers to our own requests (client.get_version, mining.ping) carry nothing we act on.
    if (msg.kind === 'response' || msg.kind === 'error') return;
    // Told to reconnect: only shares the miner sent before it read that still count (they go to their job's pool;
    // the answer can no longer be written). Anything else waits for the new connection.
    if (this.state === 'closing' && msg.method.toLowerCase() !== 'mining.submit') return;
    let call: V1Call;
    try {
      call = decodeV1Call(msg, 'miner');
    } catch (e) {
      if (this.state === 'authorized' && msg.method.toLowerCase() === 'mining.submit') {
        this.#malformedShare(msg.id, e);
        return;
      }
      this.#badLine(msg.id, e);
      return;
    }
    this.badLines = 0;
    try {
      dispatch(this, call);
    } catch (e) {
      // A fault of ours must not take other miners down: this miner gets error 20 and the fault is logged.
      this.ctx.logger.error({ err: e, method: call.method, miner: this.id }, 'miner request failed');
      if (call.id !== null) this.send(encodeError(call.id, wireError('other', 'Internal error')));
    }
  }

  onLineError(error: StratumError): void {
    this.#badLine(null, error);
  }

  /** Writes one line (or prebuilt lines); a miner that does not read is dropped past the write bound. */
  send(data: string | Buffer): void {
    // A socket the miner already ended is not a miner that does not read: nothing to count.
    if (this.state === 'closed' || this.socket.destroyed || !this.socket.writable) return;
    if (!writeBounded(this.socket, data, this.listener.config.limits.maxWriteBufferBytes)) {
      this.#count('write-bound');
    }
  }

  /** A refusal with a catalogue error (20–25) and, optionally, a more precise message. */
  reject(id: RpcId, name: WireErrorName, message?: string): void {
    this.send(encodeError(id, wireError(name, message)));
  }

  /**
   * Closes now: lines still in the chunk being read are ignored and everything the miner held is released. The
   * socket stops reading and ends after what was written (an error line says why); it is destroyed a little
   * later, so a peer with unread data of ours gets it before a reset.
   */
  close(reason: string): void {
    if (this.state === 'closed') return;
    this.#count(reason);
    this.onClosed();
    const socket = this.socket;
    socket.pause();
    socket.end();
    setTimeout(() => socket.destroy(), CLOSE_LINGER_MS).unref();
  }

  /**
   * After client.reconnect: let the miner go. Our side of the socket ends once the pools have answered the shares
   * it sent before (else their verdicts, accepted by the pool, never reach it), or after RECONNECT_ANSWERS_WAIT_S
   * (the sweeper); the sweeper destroys a socket that lingers.
   */
  closeGracefully(): void {
    if (this.state === 'closed' || this.state === 'closing') return;
    this.state = 'closing';
    this.closingAtS = this.ctx.nowS;
    this.ctx.connections.leaving(this);
    if (this.sharesInFlight <= 0) this.socket.end();
  }

  /** A pool's verdict on one of this miner's forwarded shares has been written (or will never come). */
  shareAnswered(): void {
    this.sharesInFlight--;
    if (this.state === 'closing' && this.sharesInFlight <= 0 && !this.socket.writableEnded) this.socket.end();
  }

  /** Releases the slot, the upstream, the route and the counts, once (on close(), or the socket's 'close'). */
  onClosed(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.framer.reset();
    this.ctx.upstreams.forget(this);
    this.route?.remove(this);
    this.route = null;
    if (this.lane >= 0) this.listener.lanes.release({ lane: this.lane, slot: this.slot });
    this.listener.connections--;
    this.ctx.connections.closed(this);
  }

  /** Token bucket with whole-second refills (no timer): messagesPerS sustained, messageBurst at once. */
  #takeToken(): boolean {
    const nowS = this.ctx.nowS;
    if (nowS !== this.tokensAtS) {
      const { messagesPerS, messageBurst } = this.listener.config.limits;
      this.tokens = Math.min(messageBurst, this.tokens + (nowS - this.tokensAtS) * messagesPerS);
      this.tokensAtS = nowS;
    }
    if (this.tokens <= 0) return false;
    this.tokens--;
    return true;
  }

  /** Answers error 20 with what was wrong; closes after too many malformed lines in a row. */
  #badLine(id: RpcId, error: unknown): void {
    this.ctx.counters.badLines++;
    this.send(encodeError(id, wireErrorFor(error)));
    if (++this.badLines >= this.listener.config.limits.badLinesBeforeClose) this.close('bad-lines');
  }

  /**
   * A share with a malformed field (nonce not hex, ntime too short): the miner counts it rejected, so does the
   * proxy. It is no bad line (a pool answers it and keeps the miner), so it does not close the connection.
   */
  #malformedShare(id: RpcId, error: unknown): void {
    this.ctx.shares.rejected(this, this.upstream?.target.poolKey ?? null);
    this.send(encodeError(id, wireErrorFor(error)));
  }

  #count(reason: string): void {
    const closedBy = this.ctx.counters.closedBy;
    closedBy[reason] = (closedBy[reason] ?? 0) + 1;
  }
}
