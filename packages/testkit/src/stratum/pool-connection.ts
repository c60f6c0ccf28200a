// One miner connection of the simulated pool: the V1 handshake, pushes, and exact share validation.

import type { Duplex } from 'node:stream';
import {
  answerConfigure,
  decodeV1Call,
  encodeAccepted,
  encodeConfigureResult,
  encodeError,
  encodeExtranonceNotSupported,
  encodeRejected,
  encodeSetDifficulty,
  encodeSetExtranonce,
  encodeSetVersionMask,
  encodeSubscribeResult,
  encodeUnknownMethod,
  LineFramer,
  type LineSink,
  parseMessage,
  type RpcMessage,
  type StratumError,
  type SubmitParams,
  wireError,
  wireErrorFor,
} from '@smart-mining/stratum';
import type { SimJob } from './sim-job.ts';
import { checkSimShare, type ShareVerdict } from './sim-share-check.ts';

/** What a connection needs from its pool (SimPool implements it). */
export interface PoolContext {
  readonly algorithm: string;
  /** Undefined: the pool does not offer version rolling. */
  readonly versionMask: number | undefined;
  readonly extranonceSubscribe: boolean;
  readonly extranonce2Size: number;
  readonly maxLineBytes: number;
  readonly stalled: boolean;
  difficulty: number;
  authorize(username: string, password: string): boolean;
  /** A fresh extranonce1, or the one of the session being resumed. */
  extranonce1For(sessionId: string | undefined): { extranonce1: string; sessionId: string };
  currentJob(): SimJob | undefined;
  sharedJob(jobId: string): SimJob | undefined;
  recordShare(conn: PoolConnection, share: SubmitParams, verdict: ShareVerdict): void;
  closed(conn: PoolConnection): void;
}

/** Lifecycle of one connection (one state, not a set of flags). */
export type PoolConnectionState = 'connected' | 'subscribed' | 'closed';

export class PoolConnection implements LineSink {
  readonly id: number;
  readonly socket: Duplex;
  state: PoolConnectionState = 'connected';
  extranonce1 = '';
  extranonce2Size: number;
  sessionId = '';
  /** The mask granted by configure (or set_version_mask); undefined without version rolling. */
  versionMask: number | undefined;
  extranonceSubscribed = false;
  readonly workers = new Set<string>();
  /**
   * The methods of the requests seen from the miner (for tests), each once in the order first seen: a list of
   * every request would grow with every share.
   */
  readonly methodsSeen: string[] = [];
  /** Lines that were not JSON-RPC. */
  badLines = 0;
  /** Lines read and dropped while the pool was stalled. */
  ignoredWhileStalled = 0;
  /** Answers the miner gave to our requests (get_version, ping). */
  readonly answers: RpcMessage[] = [];
  suggestedDifficulty: number | undefined;
  /** Jobs made for this connection alone (after set_extranonce); the newest few. */
  readonly ownJobs = new Map<string, SimJob>();
  /** Jobs older than this seq were cleaned for this connection by a clean job of its own. */
  validFromSeq = 0;
  #pool: PoolContext;
  #framer: LineFramer;
  /** Pairs (job seq, difficulty): the difficulty in force from that job on, for this connection. */
  #difficultyLog: number[] = [];
  #nextDifficulty: number;
  #ready = false;

  constructor(id: number, socket: Duplex, pool: PoolContext) {
    this.id = id;
    this.socket = socket;
    this.#pool = pool;
    this.extranonce2Size = pool.extranonce2Size;
    this.#nextDifficulty = pool.difficulty;
    this.#framer = new LineFramer(pool.maxLineBytes, this);
    // The answers to one chunk leave in one write, as a pool's buffered writer sends them (a chunk of one line,
    // the usual case with one miner per connection, is answered without corking).
    socket.on('data', (chunk: Buffer) => {
      const several = chunk.indexOf(10) < chunk.length - 1;
      if (several) socket.cork();
      this.#framer.push(chunk);
      if (several) socket.uncork();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.state = 'closed';
      this.#pool.closed(this);
    });
  }

  send(line: string | Buffer): void {
    if (this.state === 'closed' || this.#pool.stalled || this.socket.destroyed) return;
    this.socket.write(line);
  }

  onLineError(_error: StratumError): void {
    this.badLines++;
    this.send(encodeError(null, wireError('other', 'Line too long')));
  }

  onLine(line: string): void {
    if (this.#pool.stalled) {
      this.ignoredWhileStalled++;
      return;
    }
    let msg: RpcMessage;
    try {
      msg = parseMessage(line);
    } catch (e) {
      this.badLines++;
      this.send(encodeError(null, wireErrorFor(e)));
      return;
    }
    if (msg.kind === 'response' || msg.kind === 'error') {
      this.answers.push(msg);
      return;
    }
    if (!this.methodsSeen.includes(msg.method)) this.methodsSeen.push(msg.method);
    try {
      this.#handle(msg);
    } catch (e) {
      if (msg.kind === 'request') this.send(encodeError(msg.id, wireErrorFor(e)));
    }
  }

  #handle(msg: Extract<RpcMessage, { method: string }>): void {
    const call = decodeV1Call(msg, 'miner');
    const pool = this.#pool;
    switch (call.method) {
      case 'mining.subscribe': {
        const session = pool.extranonce1For(call.params.sessionId);
        this.extranonce1 = session.extranonce1;
        this.sessionId = session.sessionId;
        this.state = 'subscribed';
        this.send(encodeSubscribeResult(call.id, this.sessionId, this.extranonce1, this.extranonce2Size));
        this.#startWhenReady();
        return;
      }
      case 'mining.authorize': {
        if (!pool.authorize(call.params.username, call.params.password)) {
          this.send(encodeError(call.id, wireError('unauthorized'), false));
          return;
        }
        this.workers.add(call.params.username);
        this.send(encodeAccepted(call.id));
        this.#startWhenReady();
        return;
      }
      case 'mining.configure': {
        const result = answerConfigure(call.params, {
          versionMask: pool.versionMask,
          subscribeExtranonce: pool.extranonceSubscribe,
        });
        if (result['version-rolling'] === true) {
          this.versionMask = Number.parseInt(result['version-rolling.mask'] as string, 16) >>> 0;
        }
        if (result['subscribe-extranonce'] === true) this.extranonceSubscribed = true;
        this.send(encodeConfigureResult(call.id, result));
        return;
      }
      case 'mining.extranonce.subscribe':
        if (!pool.extranonceSubscribe) {
          this.send(encodeExtranonceNotSupported(call.id));
          return;
        }
        this.extranonceSubscribed = true;
        this.send(encodeAccepted(call.id));
        return;
      case 'mining.suggest_difficulty':
        this.suggestedDifficulty = call.params.difficulty;
        this.send(encodeAccepted(call.id));
        return;
      case 'mining.submit': {
        const verdict = checkSimShare(this, call.params, pool);
        pool.recordShare(this, call.params, verdict);
        this.send(verdict.error ? encodeRejected(call.id, verdict.error) : encodeAccepted(call.id));
        return;
      }
      case 'keepalived':
        this.send(encodeAccepted(call.id));
        return;
      default:
        if (call.id !== null) this.send(encodeUnknownMethod(call.id, msg.method));
    }
  }

  /** Difficulty and the current job go out once the connection is subscribed and has a worker. */
  #startWhenReady(): void {
    if (this.#ready || this.state !== 'subscribed' || this.workers.size === 0) return;
    this.#ready = true;
    this.send(encodeSetDifficulty(this.#nextDifficulty));
    const job = this.#pool.currentJob();
    if (job) this.sendJob(job, true);
  }

  get ready(): boolean {
    return this.#ready && this.state === 'subscribed';
  }

  /** Sends a job, recording the difficulty in force for it (set_difficulty applies to the next notify). */
  sendJob(job: SimJob, forceClean = false): void {
    const last = this.#difficultyLog[this.#difficultyLog.length - 1];
    if (last !== this.#nextDifficulty) {
      this.#difficultyLog.push(job.seq, this.#nextDifficulty);
      if (this.#difficultyLog.length > 32) this.#difficultyLog.splice(0, 2);
    }
    const shape = job.shape(this.extranonce1.length / 2 + this.extranonce2Size);
    this.send(forceClean ? shape.cleanLine : shape.line);
  }

  /** The difficulty this connection was mining at when it received job `seq`. */
  difficultyFor(seq: number): number {
    const log = this.#difficultyLog;
    for (let i = log.length - 2; i >= 0; i -= 2) if (log[i]! <= seq) return log[i + 1]!;
    return log[1] ?? this.#nextDifficulty;
  }

  setDifficulty(difficulty: number): void {
    this.#nextDifficulty = difficulty;
    if (this.ready) this.send(encodeSetDifficulty(difficulty));
  }

  /** A new extranonce (NiceHash extension): sent, then a clean job of its own so the miner switches work. */
  setExtranonce(extranonce1: string, extranonce2Size: number, job: SimJob): void {
    this.extranonce1 = extranonce1;
    this.extranonce2Size = extranonce2Size;
    this.send(encodeSetExtranonce(extranonce1, extranonce2Size));
    this.validFromSeq = job.seq;
    this.ownJobs.set(job.jobId, job);
    for (const id of this.ownJobs.keys()) if (this.ownJobs.size > 4) this.ownJobs.delete(id);
    this.sendJob(job);
  }

  setVersionMask(mask: number): void {
    if (this.versionMask === undefined) return;
    this.versionMask = mask;
    this.send(encodeSetVersionMask(mask));
  }

  /** A job this connection may submit to: its own, or a live shared one not cleaned for it. */
  job(jobId: string): SimJob | undefined {
    const job = this.ownJobs.get(jobId) ?? this.#pool.sharedJob(jobId);
    return job !== undefined && job.seq >= this.validFromSeq ? job : undefined;
  }
}
