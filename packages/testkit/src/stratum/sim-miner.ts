// A simulated Stratum V1 miner that really hashes: profiles of real miners, every share and answer recorded.

import { EventEmitter, once } from 'node:events';
import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import {
  decodeV1Call,
  encodeAccepted,
  encodeAuthorize,
  encodeConfigure,
  encodeExtranonceSubscribe,
  encodePong,
  encodeSubmit,
  encodeSubscribe,
  encodeSuggestDifficulty,
  encodeUnknownMethod,
  encodeVersionResult,
  LineFramer,
  type LineSink,
  type NotifyParams,
  parseConfigureResult,
  parseMessage,
  parseSubscribeResult,
  type RpcMessage,
  sessionIdOf,
} from '@smart-mining/stratum';
import { epochMs } from './clock.ts';
import { MINER_PROFILES, type MinerProfile } from './miner-profiles.ts';
import { type FoundShare, MinerWork } from './miner-work.ts';
import { PendingRequests } from './pending-requests.ts';
import { simJobOrigin } from './sim-job.ts';
import type { ReceivedJob, SimMinerOptions, SubmittedShare } from './sim-miner-types.ts';

export type SimMinerState = 'connecting' | 'subscribing' | 'authorizing' | 'mining' | 'closed';

export class SimMiner extends EventEmitter implements LineSink {
  readonly profile: MinerProfile;
  state: SimMinerState = 'connecting';
  extranonce1 = '';
  extranonce2Size = 0;
  sessionId: string | undefined;
  versionMask: number | undefined;
  extranonceSubscribed = false;
  readonly shares: SubmittedShare[] = [];
  readonly jobs: ReceivedJob[] = [];
  readonly messages: string[] = [];
  readonly reconnects: { host: string; port: number; atMs: number }[] = [];
  /** Lines from the server that were not valid JSON-RPC, or not a valid V1 message. */
  readonly badLines: string[] = [];
  #options: SimMinerOptions;
  #socket: Duplex | undefined;
  #framer: LineFramer;
  #work: MinerWork;
  #nextId = 1;
  #pending: PendingRequests;
  #submits = new Map<number | string, SubmittedShare>();
  #submitted = 0;
  #accepted = 0;
  #rejected = 0;
  #nextDifficulty = 1;
  /** The difficulty of the job being mined (set_difficulty applies from the next notify). */
  #jobDifficulty = 1;
  #pendingExtranonce: { extranonce1: string; extranonce2Size: number | undefined } | undefined;
  #job: NotifyParams | undefined;
  #stopped = false;

  constructor(options: SimMinerOptions) {
    super();
    this.#options = options;
    const p = options.profile ?? 'cpuminer';
    this.profile = typeof p === 'string' ? MINER_PROFILES[p] : p;
    this.#framer = new LineFramer(64 * 1024, this);
    this.#pending = new PendingRequests(options.requestTimeoutMs ?? 10_000);
    this.#work = new MinerWork(options.algorithm, options.shareIntervalMs ?? 50, (s) => this.#submit(s));
  }

  /** Connects, handshakes as the profile does, and starts hashing on the first job. */
  static async start(options: SimMinerOptions): Promise<SimMiner> {
    const miner = new SimMiner(options);
    await miner.connect(options.host, options.port);
    return miner;
  }

  /** Shares the server accepted, counted over the whole run (kept records may be fewer). */
  get accepted(): number {
    return this.#accepted;
  }

  get rejected(): number {
    return this.#rejected;
  }

  /** Shares submitted over the whole run. */
  get submitted(): number {
    return this.#submitted;
  }

  get hashes(): number {
    return this.#work.hashes;
  }

  async connect(host: string, port: number): Promise<void> {
    this.state = 'connecting';
    this.#framer.reset();
    const socket = await this.#dial(host, port);
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#framer.push(chunk));
    socket.on('error', (e) => this.emit('socket-error', e));
    socket.on('close', () => {
      if (this.#socket !== socket) return;
      this.state = 'closed';
      this.#work.stop();
      this.#pending.failAll(new Error('connection closed'));
      // Submits the closed connection will never answer.
      this.#submits.clear();
      this.emit('close');
    });
    await this.#handshake();
  }

  async #dial(host: string, port: number): Promise<Duplex> {
    if (this.#options.dial) return this.#options.dial(host, port);
    if (this.#options.tls) {
      const socket = tlsConnect({ host, port, rejectUnauthorized: false });
      await once(socket, 'secureConnect');
      return socket;
    }
    const socket = netConnect({ host, port, noDelay: true });
    await once(socket, 'connect');
    return socket;
  }

  async #handshake(): Promise<void> {
    const p = this.profile;
    this.state = 'subscribing';
    if (p.configureMask !== undefined) {
      const mask = { mask: p.configureMask, minBitCount: p.configureMinBitCount };
      const answer = await this.#request((id) => encodeConfigure(id, { versionRolling: mask }));
      if (answer.kind === 'response') this.versionMask = parseConfigureResult(answer.result).versionMask;
    }
    const resume = p.resumesSession ? this.sessionId : undefined;
    let sub = await this.#request((id) => encodeSubscribe(id, p.userAgent, resume));
    // cpuminer retries once with no params when the first subscribe fails.
    if (sub.kind !== 'response') sub = await this.#request((id) => encodeSubscribe(id));
    if (sub.kind !== 'response') throw new Error(`subscribe refused: ${JSON.stringify(sub)}`);
    const subscribed = parseSubscribeResult(sub.result);
    this.extranonce1 = subscribed.extranonce1;
    this.extranonce2Size = subscribed.extranonce2Size;
    this.sessionId = sessionIdOf(subscribed);
    this.#nextDifficulty = 1; // cpuminer: difficulty 1 until the first set_difficulty
    if (p.extranonceSubscribe) {
      const answer = await this.#request((id) => encodeExtranonceSubscribe(id));
      this.extranonceSubscribed = answer.kind === 'response' && answer.result === true;
    }
    if (p.suggestDifficulty !== undefined) {
      const d = this.#options.suggestedDifficulty ?? 1;
      await this.#request((id) => encodeSuggestDifficulty(id, d, p.suggestDifficulty));
    }
    this.state = 'authorizing';
    const user = { username: this.#options.username, password: this.#options.password ?? 'x' };
    const auth = await this.#request((id) => encodeAuthorize(id, user));
    if (auth.kind !== 'response' || auth.result !== true) {
      this.state = 'closed';
      this.#socket?.destroy();
      throw new Error(`authorize refused: ${JSON.stringify(auth)}`);
    }
    this.state = 'mining';
    if (this.#job) this.#startWork(this.#job);
  }

  #send(line: string): void {
    if (this.#socket && !this.#socket.destroyed) this.#socket.write(line);
  }

  #request(build: (id: number) => string): Promise<RpcMessage> {
    const id = this.#nextId++;
    const answer = this.#pending.wait(id);
    this.#send(build(id));
    return answer;
  }

  #submit(found: FoundShare): void {
    const id = this.#nextId++;
    const share: SubmittedShare = {
      ...found,
      id,
      extranonce1: this.extranonce1,
      poolJob: this.jobs.findLast((j) => j.jobId === found.jobId)?.poolJob,
      sentAtMs: epochMs(),
      answeredAtMs: undefined,
      accepted: undefined,
      error: undefined,
    };
    this.#record(this.shares, share);
    this.#submitted++;
    this.#submits.set(id, share);
    const nonce = this.profile.nonceWithoutLeadingZeros
      ? (Number.parseInt(found.nonce, 16) >>> 0).toString(16)
      : found.nonce;
    this.#send(encodeSubmit(id, { worker: this.#options.username, ...found, nonce }));
    if (this.#submitted >= (this.#options.maxShares ?? Number.POSITIVE_INFINITY)) this.#work.stop();
  }

  /** Appends to one of the records, dropping the oldest beyond `keepRecords` (in batches: cheap per push). */
  #record<T>(list: T[], item: T): void {
    list.push(item);
    const keep = this.#options.keepRecords;
    if (keep !== undefined && list.length >= 2 * keep + 1) list.splice(0, list.length - keep);
  }

  onLineError(): void {
    this.#record(this.badLines, '(line too long)');
  }

  onLine(line: string): void {
    let msg: RpcMessage;
    try {
      msg = parseMessage(line);
    } catch {
      this.#record(this.badLines, line);
      return;
    }
    if (msg.kind === 'response' || msg.kind === 'error') {
      this.#answer(msg);
      return;
    }
    try {
      this.#handle(msg);
    } catch {
      this.#record(this.badLines, line);
    }
  }

  #answer(msg: Extract<RpcMessage, { kind: 'response' | 'error' }>): void {
    const id = msg.id ?? -1;
    const share = this.#submits.get(id);
    if (share) {
      this.#submits.delete(id);
      share.answeredAtMs = epochMs();
      share.accepted = msg.kind === 'response' && msg.result === true;
      share.error = msg.kind === 'error' ? msg.error : undefined;
      if (share.accepted) this.#accepted++;
      else this.#rejected++;
      this.emit('answer', share);
      return;
    }
    this.#pending.settle(msg);
  }

  #handle(msg: Extract<RpcMessage, { method: string }>): void {
    const call = decodeV1Call(msg, 'pool');
    const p = this.profile;
    switch (call.method) {
      case 'mining.notify':
        this.#job = call.params;
        if (this.state === 'mining') this.#startWork(call.params);
        return;
      case 'mining.set_difficulty':
        this.#nextDifficulty = call.params.difficulty;
        return;
      case 'mining.set_extranonce':
        if (p.handlesSetExtranonce) this.#pendingExtranonce = call.params;
        return;
      case 'mining.set_version_mask':
        // BIP 310: the new mask is valid immediately, so the current work restarts under it.
        if (this.versionMask === undefined) return;
        this.versionMask = call.params.mask;
        if (this.state === 'mining' && this.#job) this.#startWork(this.#job, false);
        return;
      case 'client.reconnect':
        if (p.followsReconnect && call.params.host !== undefined && call.params.port !== undefined) {
          void this.#reconnect(call.params.host, call.params.port);
        }
        return;
      case 'client.get_version':
        if (call.id !== null) this.#send(encodeVersionResult(call.id, p.userAgent));
        return;
      case 'client.show_message':
        this.#record(this.messages, call.params.text);
        if (call.id !== null) this.#send(encodeAccepted(call.id));
        return;
      case 'mining.ping':
        if (p.answersPing && call.id !== null) this.#send(encodePong(call.id));
        return;
      default:
        if (call.id !== null) this.#send(encodeUnknownMethod(call.id, msg.method));
    }
  }

  /** A new job (or, with newJob false, the current one again after a mask change). */
  #startWork(job: NotifyParams, newJob = true): void {
    if (newJob) {
      if (this.#pendingExtranonce) {
        this.extranonce1 = this.#pendingExtranonce.extranonce1;
        this.extranonce2Size = this.#pendingExtranonce.extranonce2Size ?? this.extranonce2Size;
        this.#pendingExtranonce = undefined;
      }
      this.#jobDifficulty = this.#nextDifficulty;
      this.#recordJob(job);
    }
    if (this.#stopped || this.#submitted >= (this.#options.maxShares ?? Number.POSITIVE_INFINITY)) return;
    this.#work.start({
      job,
      difficulty: this.#jobDifficulty,
      extranonce1: this.extranonce1,
      extranonce2Size: this.extranonce2Size,
      versionMask: this.versionMask,
    });
  }

  #recordJob(job: NotifyParams): void {
    this.#record(this.jobs, {
      jobId: job.jobId,
      poolJob: simJobOrigin(job.coinb2),
      clean: job.cleanJobs,
      difficulty: this.#jobDifficulty,
      extranonce1: this.extranonce1,
      receivedAtMs: epochMs(),
    });
    this.emit('job', job);
  }

  async #reconnect(host: string, port: number): Promise<void> {
    this.#record(this.reconnects, { host, port, atMs: epochMs() });
    this.#work.stop();
    const old = this.#socket;
    this.#socket = undefined;
    old?.destroy();
    this.#pending.failAll(new Error('reconnecting'));
    this.#submits.clear();
    this.#job = undefined;
    try {
      // A bracketed IPv6 host ([::1]) is URL notation, as miners read it; the socket wants the bare address.
      await this.connect(host.replace(/^\[(.*)\]$/, '$1'), port);
      this.emit('reconnected');
    } catch (e) {
      this.state = 'closed';
      this.emit('socket-error', e);
    }
  }

  /** Stops hashing and closes the connection. */
  stop(): void {
    this.#stopped = true;
    this.#work.stop();
    this.state = 'closed';
    const socket = this.#socket;
    this.#socket = undefined;
    socket?.destroy();
  }
}
