// The client side of Stratum V1 toward one pool: connect, configure (BIP 310), subscribe (with resume),
// authorize WALLET.WORKER, pushes from the pool, submits with their answers routed back, stall detection,
// and reconnect with backoff. What the pool says goes to a sink (the Upstream that owns this client).

import type { Duplex } from 'node:stream';
import {
  decodeV1Call,
  encodeAuthorize,
  encodeConfigure,
  encodeExtranonceSubscribe,
  encodeSubmit,
  encodeSubscribe,
  LineFramer,
  type LineSink,
  type NotifyParams,
  parseConfigureResult,
  parseMessage,
  parseSubscribeResult,
  type RpcCall,
  type RpcError,
  type RpcMessage,
  type SubmitParams,
  sessionIdOf,
  type V1Call,
} from '@smart-mining/stratum';
import type { ProxyContext } from '../context.ts';
import type { PoolEndpoint, PoolTls } from '../ports.ts';
import { readIntoSharedBuffer } from '../read.ts';
import { writeCoalesced } from '../write.ts';
import { HandshakeAsks } from './handshake-asks.ts';
import { type PendingSubmit, PendingSubmits, type PoolClientSink } from './pool-client-sink.ts';
import { handlePoolPush, type PoolPushTarget } from './pool-pushes.ts';

export type PoolClientState = 'connecting' | 'authorizing' | 'ready' | 'waiting' | 'closed';

export interface PoolClientOptions {
  endpoints: PoolEndpoint[];
  username: string;
  password: string;
  /** Version-rolling mask to ask for (0: no mining.configure). */
  versionMask: number;
  sink: PoolClientSink;
  /** How the pool's TLS certificate is checked, where it declares that (default: the public CAs). */
  tls?: PoolTls | undefined;
}

const ID = { configure: 1, subscribe: 2, extranonceSubscribe: 3, authorize: 4, authorizeAgain: 5 } as const;
const FIRST_SUBMIT_ID = 100;
const MAX_LINE_BYTES = 64 * 1024;
const MAX_QUEUED_BYTES = 16 * 1024 * 1024;
const BAD_LINES_BEFORE_DROP = 20;
/** A share whose verdict was lost with the connection: stale, and counted (stratum.md §8.3). */
const LOST: RpcError = {
  code: 21,
  message: 'Job not found (pool connection lost before its verdict)',
  data: null,
};
/** A share the pool passed over (it answered later ones): stale, and counted. */
const SKIPPED: RpcError = { code: 21, message: 'Job not found (no verdict from the pool)', data: null };

export class PoolClient implements LineSink, PoolPushTarget {
  state: PoolClientState = 'connecting';
  /** Granted by the pool's configure answer on this connection (0: none; each connection negotiates its own). */
  versionMask = 0;
  extranonce1 = '';
  extranonce2Size = 0;
  /** Why the last connection ended (for the summary). */
  lastError: string | null = null;
  /** The last connection ended with the pool refusing the login: a fault of the account's wallet, not the pool's. */
  loginRefused = false;
  readonly #ctx: ProxyContext;
  readonly #o: PoolClientOptions;
  #stream: Duplex | undefined;
  #framer = new LineFramer(MAX_LINE_BYTES, this);
  #pending = new PendingSubmits(FIRST_SUBMIT_ID);
  #endpoint = 0;
  #failures = 0;
  #sessionId: string | undefined;
  readonly #asks = new HandshakeAsks();
  #triedBareSubscribe = false;
  /** The authorize whose answer counts (one sent before a bare subscribe retry is answered in vain). */
  #authorizeId: number = ID.authorize;
  /** Authorized before the subscribe answer came (a pool may answer out of order). */
  #authorizedEarly = false;
  #badLines = 0;
  /** This connection's subscribe was answered (extranonce1 and extranonce2Size are its own). */
  #subscribedHere = false;
  /** The newest job the pool sent ahead of its subscribe answer, mined once that answer comes. */
  #early: NotifyParams | undefined;
  /** The pool has sent a line on this connection. */
  #heard = false;
  #stateSinceMs = 0;
  #lastMessageMs = 0;
  /** A stall verdict waits for its second look (see tick). */
  #confirming = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(ctx: ProxyContext, options: PoolClientOptions) {
    this.#ctx = ctx;
    this.#o = options;
  }

  get endpoint(): PoolEndpoint {
    return this.#o.endpoints[this.#endpoint % this.#o.endpoints.length]!;
  }

  get pendingSubmits(): number {
    return this.#pending.size;
  }

  start(): void {
    const endpoint = this.endpoint;
    const stream = this.#ctx.dial(endpoint, this.#o.tls);
    this.#stream = stream;
    this.#framer.reset();
    this.#heard = false;
    this.#triedBareSubscribe = false;
    this.#authorizeId = ID.authorize;
    this.#authorizedEarly = false;
    this.#badLines = 0;
    this.#subscribedHere = false;
    this.#early = undefined;
    // A grant (or set_version_mask) of the last connection binds the pool on that connection alone.
    this.versionMask = 0;
    this.#setState('connecting');
    this.#lastMessageMs = this.#ctx.now();
    // A TCP connection reads into the process's one read buffer (see read.ts); TLS and test streams via 'data'.
    const read = (chunk: Buffer, end: number) => {
      if (this.#stream === stream) this.#framer.push(chunk, end);
    };
    if (!readIntoSharedBuffer(stream, (bytes, buffer) => read(buffer, bytes))) {
      stream.on('data', (chunk: Buffer) => read(chunk, chunk.length));
    }
    stream.on('error', (e: Error) => {
      if (this.#stream === stream) this.#down(`${endpoint.host}:${endpoint.port}: ${e.message}`);
    });
    stream.on('close', () => {
      if (this.#stream !== stream) return;
      this.#asks.closed(this.state === 'connecting');
      this.#down(`${endpoint.host}:${endpoint.port}: connection closed`);
    });
    // Writes queue until the connection is open. The handshake goes out in one write (configure first, BIP 310;
    // then subscribe and authorize, which a pool answers in order): one round trip to a usable connection instead
    // of two, for every switch to a new pool and every reconnect.
    const ask = this.#o.versionMask;
    const asks = this.#asks.begin(ask !== 0, this.#ctx.now());
    const configure = asks.configure
      ? encodeConfigure(ID.configure, { versionRolling: { mask: ask, minBitCount: 2 } })
      : '';
    const subscribe = asks.bareSubscribe
      ? encodeSubscribe(ID.subscribe)
      : encodeSubscribe(ID.subscribe, this.#ctx.agent, this.#sessionId);
    this.#write(configure + subscribe + this.#authorizeLine());
  }

  #authorizeLine(): string {
    return encodeAuthorize(this.#authorizeId, { username: this.#o.username, password: this.#o.password });
  }

  /** Sends a share; false when the pool cannot take one now (not authorized). */
  submit(pending: PendingSubmit, share: Omit<SubmitParams, 'worker'>): boolean {
    if (this.state !== 'ready') return false;
    pending.sentAtS = this.#ctx.nowS;
    const id = this.#pending.add(pending);
    this.#write(encodeSubmit(id, { worker: this.#o.username, ...share }));
    return true;
  }

  onLine(line: string): void {
    this.#lastMessageMs = this.#ctx.now();
    this.#heard = true;
    let msg: RpcMessage;
    try {
      msg = parseMessage(line);
    } catch {
      this.#badLine(line);
      return;
    }
    try {
      if (msg.kind === 'response' || msg.kind === 'error') this.#answer(msg);
      else this.#call(msg);
    } catch (e) {
      // A fault of ours while handling this pool's line: this connection starts over, nothing else is touched.
      this.#ctx.logger.error({ err: e, pool: this.endpoint.host }, 'pool line failed');
      this.#down(`internal error: ${(e as Error).message}`);
    }
  }

  onLineError(): void {
    this.#badLine('(line too long)');
  }

  /**
   * Stall detection, from the proxy's one tick. A verdict is confirmed once more after this turn's reads (the
   * check phase): a proxy that fell behind has the pool's answers waiting unread in its socket, and must not
   * take its own lag for a stalled pool.
   */
  tick(nowMs: number): void {
    this.#expirePassedOver();
    if (this.#stallVerdict(nowMs) === null || this.#confirming) return;
    this.#confirming = true;
    setImmediate(() => {
      this.#confirming = false;
      const verdict = this.#stallVerdict(this.#ctx.now());
      if (verdict === null) return;
      // The pool answered something, but not the subscribe: it ignores what we asked (not a slow or dead pool,
      // which would lose version rolling for a hiccup).
      if (this.state === 'connecting' && this.#heard) this.#asks.handshakeFailed();
      this.#down(verdict);
    });
  }

  /**
   * Shares past the timeout that the pool passed over (it answered newer ones; some pools never answer a share
   * they drop) get 21 each: the pool is alive, so its connection, jobs and other shares stay.
   */
  #expirePassedOver(): void {
    const expired = this.#pending.passedOver(this.#ctx.nowS, this.#ctx.timings.upstreamTimeoutMs);
    for (const p of expired) this.#o.sink.submitAnswered(p, SKIPPED);
  }

  #stallVerdict(nowMs: number): string | null {
    const t = this.#ctx.timings;
    if (this.state === 'connecting' || this.state === 'authorizing') {
      return nowMs - this.#stateSinceMs > t.upstreamTimeoutMs ? 'handshake timed out' : null;
    }
    if (this.state !== 'ready') return null;
    const oldest = this.#pending.oldest();
    if (oldest !== undefined && (this.#ctx.nowS - oldest.sentAtS) * 1000 > t.upstreamTimeoutMs) {
      return 'a submit went unanswered (pool stalled)';
    }
    return nowMs - this.#lastMessageMs > t.upstreamSilenceS * 1000 ? 'pool silent' : null;
  }

  close(): void {
    if (this.state === 'closed') return;
    this.#teardown();
    this.#setState('closed');
    clearTimeout(this.#timer);
  }

  #answer(msg: Extract<RpcMessage, { kind: 'response' | 'error' }>): void {
    // Our ids are numbers; a pool that echoes them as strings ("100") still answers them.
    const id = typeof msg.id === 'string' && /^[0-9]{1,10}$/.test(msg.id) ? Number(msg.id) : msg.id;
    if (typeof id !== 'number') return;
    if (id >= FIRST_SUBMIT_ID) {
      const pending = this.#pending.take(id);
      if (pending === undefined) return;
      const error =
        msg.kind === 'error'
          ? msg.error
          : msg.result === true
            ? undefined
            : { code: 20, message: 'Share rejected by the pool', data: null };
      this.#o.sink.submitAnswered(pending, error);
      return;
    }
    if (id === ID.extranonceSubscribe) {
      this.#asks.extranonceSubscribeAnswered(msg.kind !== 'response' || msg.result !== true);
    } else if (id === ID.configure) this.#configured(msg);
    else if (id === ID.subscribe) this.#subscribed(msg);
    else if (id === this.#authorizeId) this.#authorized(msg);
  }

  #configured(msg: Extract<RpcMessage, { kind: 'response' | 'error' }>): void {
    this.#asks.configureAnswered(msg.kind !== 'response');
    if (msg.kind !== 'response') return;
    const before = this.versionMask;
    try {
      this.versionMask = ((parseConfigureResult(msg.result).versionMask ?? 0) & this.#o.versionMask) >>> 0;
    } catch {
      this.versionMask = 0;
    }
    // An answer that comes after this connection's first job (pools answer in their own order) reaches its miners.
    if (this.versionMask !== before) this.#o.sink.poolVersionMask(this.versionMask);
  }

  #subscribed(msg: Extract<RpcMessage, { kind: 'response' | 'error' }>): void {
    let result: ReturnType<typeof parseSubscribeResult>;
    try {
      if (msg.kind === 'error') throw new Error(msg.error.message);
      result = parseSubscribeResult(msg.result);
    } catch (e) {
      // cpuminer's rule: a refused subscribe is retried once without params (stratum.md §2.1).
      // The authorize already sent may be refused for want of a subscription: a new one follows the retry.
      if (!this.#triedBareSubscribe) {
        this.#triedBareSubscribe = true;
        this.#sessionId = undefined;
        this.#authorizeId = ID.authorizeAgain;
        this.#authorizedEarly = false;
        this.#write(encodeSubscribe(ID.subscribe) + this.#authorizeLine());
        return;
      }
      this.#down(`subscribe failed: ${(e as Error).message}`);
      return;
    }
    this.extranonce1 = result.extranonce1;
    this.extranonce2Size = result.extranonce2Size;
    this.#sessionId = sessionIdOf(result);
    this.#subscribedHere = true;
    this.#setState('authorizing');
    this.#o.sink.poolSubscribed(result.extranonce1, result.extranonce2Size);
    if (this.state !== 'authorizing') return; // the sink closed this client (no room in extranonce2)
    const early = this.#early;
    this.#early = undefined;
    // The only job of this connection so far: clean, as every earlier one was another connection's.
    if (early !== undefined) this.#o.sink.poolNotify({ ...early, cleanJobs: true });
    if (this.#authorizedEarly) this.#ready();
  }

  #authorized(msg: Extract<RpcMessage, { kind: 'response' | 'error' }>): void {
    // cpuminer's and cgminer's rule: only false or an error refuses (p2pool nodes answer a login with null).
    if (msg.kind !== 'response' || msg.result === false) {
      const why = msg.kind === 'error' ? msg.error.message : JSON.stringify(msg.result);
      this.#down(`authorize ${this.#o.username} refused: ${why}`, undefined, true);
      return;
    }
    if (this.state === 'authorizing') this.#ready();
    else this.#authorizedEarly = true;
  }

  #ready(): void {
    this.lastError = null;
    this.loginRefused = false;
    this.#setState('ready');
    // Asked once logged in: some pools drop a connection that sends anything else before their login is done
    // (ckpool answers authorize from another queue), and a pool may send set_extranonce at any time after.
    if (this.#asks.askExtranonceSubscribe()) this.#write(encodeExtranonceSubscribe(ID.extranonceSubscribe));
    this.#o.sink.poolReady();
  }

  #call(msg: RpcCall): void {
    let call: V1Call;
    try {
      call = decodeV1Call(msg, 'pool');
    } catch {
      this.#badLine(JSON.stringify(msg).slice(0, 200));
      return;
    }
    this.#badLines = 0;
    // Work from the pool: this connection served, the backoff starts over (a login alone does not count).
    if (call.method === 'mining.notify' && this.state === 'ready') this.#failures = 0;
    handlePoolPush(this, this.#o.sink, call);
  }

  // PoolPushTarget: what a pool's pushes change here.

  get agent(): string {
    return this.#ctx.agent;
  }

  get subscribed(): boolean {
    return this.#subscribedHere;
  }

  notifyBeforeSubscribe(params: NotifyParams): void {
    // The newest stands for all: it is the pool's current work, and nothing is mined before the answer anyway.
    this.#early = params;
  }

  answer(line: string): void {
    this.#write(line);
  }

  extranonceChanged(extranonce1: string, extranonce2Size: number | undefined): void {
    this.extranonce1 = extranonce1;
    this.extranonce2Size = extranonce2Size ?? this.extranonce2Size;
  }

  versionMaskChanged(mask: number): void {
    this.versionMask = (mask & this.#o.versionMask) >>> 0;
  }

  /**
   * Honoured only toward an endpoint we already know: the proxy never dials an address a pool supplies. A host or
   * port left out (or null) is the one in use (the slush spec's "unchanged"), not any endpoint's.
   */
  reconnectAsked(host: string | undefined, port: number | undefined, waitS: number): void {
    const list = this.#o.endpoints;
    const current = this.endpoint;
    const wanted = { host: host ?? current.host, port: port ?? current.port };
    const at = list.findIndex((e) => e.host === wanted.host && e.port === wanted.port);
    if (at !== -1) this.#endpoint = at;
    this.#down('pool asked to reconnect', Math.min(waitS, 60) * 1000);
  }

  #badLine(line: string): void {
    this.#ctx.logger.debug(
      { pool: this.endpoint.host, line: line.slice(0, 200) },
      'unreadable line from pool',
    );
    if (++this.#badLines >= BAD_LINES_BEFORE_DROP) this.#down('pool sends unreadable lines');
  }

  #write(line: string): void {
    if (this.#stream !== undefined) writeCoalesced(this.#stream, line, MAX_QUEUED_BYTES);
  }

  #setState(state: PoolClientState): void {
    this.state = state;
    this.#stateSinceMs = this.#ctx.now();
  }

  #teardown(): void {
    const stream = this.#stream;
    this.#stream = undefined;
    stream?.destroy();
    this.#framer.reset();
    for (const p of this.#pending.drain()) this.#o.sink.submitAnswered(p, LOST);
  }

  /** The connection is gone: fail what was pending, tell the sink, and try again after a backoff. */
  #down(reason: string, delayMs?: number, loginRefused = false): void {
    if (this.state === 'closed' || this.state === 'waiting') return;
    this.lastError = reason;
    this.loginRefused = loginRefused;
    this.#teardown();
    this.#setState('waiting');
    this.#o.sink.poolDown(reason);
    if ((this.state as PoolClientState) !== 'waiting') return; // the sink closed us
    // The backoff holds for a reconnect the pool asked for too: one that sends its miners elsewhere (an address the
    // proxy does not dial) on every connection would otherwise be dialed again at once, for ever.
    const t = this.#ctx.timings;
    let wait = Math.min(t.reconnectMaxMs, t.reconnectMinMs * 2 ** Math.min(this.#failures++, 16));
    wait *= 0.5 + Math.random() * 0.5;
    if (delayMs === undefined) this.#endpoint++;
    else wait = Math.max(wait, delayMs);
    this.#timer = setTimeout(() => {
      if (this.state === 'waiting') this.start();
    }, wait);
    this.#timer.unref();
  }
}
