// A simulated Stratum V1 pool (sha256d, scrypt) that validates every share exactly, with faults and a control API.

import { randomInt } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer } from 'node:tls';
import { extranonceHex, type SubmitParams } from '@smart-mining/stratum';
import { epochMs } from './clock.ts';
import { PoolConnection, type PoolContext } from './pool-connection.ts';
import { PoolLedger, type SimPoolStats, type SimShareRecord } from './pool-ledger.ts';
import { newSimBlock, type SimBlock, SimJob } from './sim-job.ts';
import type { ShareVerdict } from './sim-share-check.ts';

export interface SimPoolOptions {
  algorithm: 'sha256d' | 'scrypt';
  /** 4 hex naming this pool in its coinb2 tags (default random). */
  id?: string;
  /** Initial share difficulty; use SIM_DIFFICULTY for real hashing in tests. */
  difficulty: number;
  extranonce1Bytes?: number;
  extranonce2Size?: number;
  /** Version-rolling mask offered in BIP 310 configure; null: no version rolling. Default 1fffe000 (BIP 320). */
  versionMask?: number | null;
  /** Answers mining.extranonce.subscribe (and configure's subscribe-extranonce). Default true. */
  extranonceSubscribe?: boolean;
  /** A new job every this many ms (0: only on pushJob). */
  jobIntervalMs?: number;
  /** Every n-th timed job starts a new block (clean_jobs=true). Default 4. */
  cleanEvery?: number;
  merkleBranchCount?: number;
  nbits?: string;
  /** Default: any username is accepted. */
  authorize?: (username: string, password: string) => boolean;
  /**
   * Keep every share in `shares` and every job in `jobsSent` (turn off for load runs and long runs: then only the
   * newest jobs are kept; counters always run). Default true.
   */
  recordShares?: boolean;
  tls?: { key: string; cert: string };
  maxLineBytes?: number;
}

/** Difficulties at which the simulated miner really hashes in milliseconds: ~256 sha256d or ~64 scrypt hashes. */
export const SIM_DIFFICULTY = { sha256d: 2 ** -24, scrypt: 2 ** -10 } as const;
/** Difficulties whose target is 2^256 − 1: every hash is a share (load runs that do not hash). */
export const SIM_LOAD_DIFFICULTY = { sha256d: 2 ** -34, scrypt: 2 ** -18 } as const;

const MAX_SHARED_JOBS = 16;
/** Jobs kept in `jobsSent` when shares are not recorded. */
const JOBS_SENT_KEPT = 100;

export class SimPool extends EventEmitter implements PoolContext {
  readonly algorithm: 'sha256d' | 'scrypt';
  /** 4 hex, in every coinb2 this pool sends (simJobOrigin). */
  readonly id: string;
  readonly versionMask: number | undefined;
  readonly extranonceSubscribe: boolean;
  readonly extranonce1Bytes: number;
  readonly extranonce2Size: number;
  readonly maxLineBytes: number;
  difficulty: number;
  stalled = false;
  refusing = false;
  acceptDelayMs = 0;
  readonly connections = new Map<number, PoolConnection>();
  readonly ledger: PoolLedger;
  /** Every job sent: seq, id, clean flag, send time (epoch ms), for fan-out measurements. */
  readonly jobsSent: { seq: number; jobId: string; clean: boolean; sentAtMs: number }[] = [];
  #options: SimPoolOptions;
  #server: Server;
  #jobs = new Map<string, SimJob>();
  #current: SimJob | undefined;
  #block: SimBlock;
  #seq = 0;
  #timedJobs = 0;
  #nextConnectionId = 1;
  #nextExtranonce: number;
  #sessions = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #port = 0;

  constructor(options: SimPoolOptions) {
    super();
    this.#options = options;
    this.ledger = new PoolLedger(options.recordShares !== false);
    this.algorithm = options.algorithm;
    this.id = options.id ?? randomInt(0, 65536).toString(16).padStart(4, '0');
    this.difficulty = options.difficulty;
    this.versionMask = options.versionMask === null ? undefined : (options.versionMask ?? 0x1fffe000);
    this.extranonceSubscribe = options.extranonceSubscribe ?? true;
    this.extranonce1Bytes = options.extranonce1Bytes ?? 4;
    this.extranonce2Size = options.extranonce2Size ?? 8;
    this.maxLineBytes = options.maxLineBytes ?? 16 * 1024;
    this.#nextExtranonce = randomInt(0, 2 ** Math.min(8 * this.extranonce1Bytes, 40) / 2);
    this.#block = this.#newBlock(1);
    const onSocket = (socket: Socket) => this.#accept(socket);
    this.#server = options.tls ? createTlsServer(options.tls, onSocket) : createServer(onSocket);
    this.pushJob({ clean: true });
  }

  /** Creates a pool listening on 127.0.0.1 and an ephemeral port. */
  static async start(options: SimPoolOptions): Promise<SimPool> {
    const pool = new SimPool(options);
    await pool.listen();
    return pool;
  }

  async listen(port = 0): Promise<void> {
    this.#server.listen(port, '127.0.0.1');
    await once(this.#server, 'listening');
    this.#port = (this.#server.address() as { port: number }).port;
    const every = this.#options.jobIntervalMs ?? 0;
    if (every > 0) {
      this.#timer = setInterval(() => this.#timedJob(), every);
      this.#timer.unref();
    }
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `${this.#options.tls ? 'stratum+ssl' : 'stratum+tcp'}://127.0.0.1:${this.#port}`;
  }

  /** Serves one connection over any Duplex (TCP, TLS or an in-memory pair). */
  handle(stream: Duplex): PoolConnection {
    const conn = new PoolConnection(this.#nextConnectionId++, stream, this);
    this.connections.set(conn.id, conn);
    this.emit('connection', conn);
    return conn;
  }

  #accept(socket: Socket): void {
    if (this.refusing) {
      socket.on('error', () => {});
      socket.resetAndDestroy();
      return;
    }
    socket.setNoDelay(true);
    if (this.acceptDelayMs <= 0) {
      this.handle(socket);
      return;
    }
    socket.pause();
    setTimeout(() => {
      if (socket.destroyed) return;
      this.handle(socket);
      socket.resume();
    }, this.acceptDelayMs).unref();
  }

  // PoolContext

  authorize(username: string, password: string): boolean {
    return this.#options.authorize ? this.#options.authorize(username, password) : true;
  }

  extranonce1For(sessionId: string | undefined): { extranonce1: string; sessionId: string } {
    const resumed = sessionId === undefined ? undefined : this.#sessions.get(sessionId);
    if (resumed !== undefined && sessionId !== undefined) return { extranonce1: resumed, sessionId };
    const extranonce1 = this.#allocateExtranonce1();
    const id = `${extranonce1}${randomInt(0, 2 ** 32)
      .toString(16)
      .padStart(8, '0')}`;
    this.#sessions.set(id, extranonce1);
    if (this.#sessions.size > 100_000) this.#sessions.delete(this.#sessions.keys().next().value!);
    return { extranonce1, sessionId: id };
  }

  #allocateExtranonce1(): string {
    const space = 2 ** (8 * this.extranonce1Bytes);
    const e1 = extranonceHex(this.#nextExtranonce % space, this.extranonce1Bytes);
    this.#nextExtranonce++;
    return e1;
  }

  currentJob(): SimJob | undefined {
    return this.#current;
  }

  sharedJob(jobId: string): SimJob | undefined {
    return this.#jobs.get(jobId);
  }

  recordShare(conn: PoolConnection, s: SubmitParams, v: ShareVerdict): void {
    const record = this.ledger.record(conn, s, v);
    if (record) this.emit('share', record);
  }

  closed(conn: PoolConnection): void {
    this.connections.delete(conn.id);
    this.emit('close', conn);
  }

  // control

  /** A new job for everyone; `clean` starts a new block (new prevhash) and invalidates every earlier job. */
  pushJob({ clean = false }: { clean?: boolean } = {}): SimJob {
    if (clean) this.#block = this.#newBlock(this.#block.height + 1);
    const job = new SimJob(this.id, ++this.#seq, this.#block, clean, Math.floor(Date.now() / 1000));
    if (clean) {
      // A new block makes every earlier job stale, shared or made for one connection.
      this.#jobs.clear();
      for (const conn of this.connections.values()) conn.validFromSeq = job.seq;
    }
    this.#jobs.set(job.jobId, job);
    if (this.#jobs.size > MAX_SHARED_JOBS) this.#jobs.delete(this.#jobs.keys().next().value!);
    this.#current = job;
    this.ledger.countJob();
    job.sentAtMs = epochMs();
    this.jobsSent.push({ seq: job.seq, jobId: job.jobId, clean, sentAtMs: job.sentAtMs });
    if (this.#options.recordShares === false && this.jobsSent.length > 2 * JOBS_SENT_KEPT)
      this.jobsSent.splice(0, this.jobsSent.length - JOBS_SENT_KEPT);
    for (const conn of this.connections.values()) if (conn.ready) conn.sendJob(job);
    return job;
  }

  /** New share difficulty for everyone (or one connection): set_difficulty now, in force from the next job. */
  setDifficulty(difficulty: number, connectionId?: number): void {
    if (connectionId === undefined) this.difficulty = difficulty;
    for (const conn of this.#targets(connectionId)) conn.setDifficulty(difficulty);
  }

  /**
   * mining.set_extranonce to connections that subscribed to it (or one connection), followed by a clean job of
   * their own: the miner switches work (NiceHash extension). Returns the connections told.
   */
  setExtranonce(options: { connectionId?: number; extranonce2Size?: number } = {}): PoolConnection[] {
    const told: PoolConnection[] = [];
    for (const conn of this.#targets(options.connectionId)) {
      if (!conn.extranonceSubscribed || !conn.ready) continue;
      const job = new SimJob(this.id, ++this.#seq, this.#block, true, Math.floor(Date.now() / 1000), conn.id);
      conn.setExtranonce(this.#allocateExtranonce1(), options.extranonce2Size ?? conn.extranonce2Size, job);
      told.push(conn);
    }
    return told;
  }

  /** mining.set_version_mask to connections that negotiated version rolling. */
  setVersionMask(mask: number, connectionId?: number): void {
    for (const conn of this.#targets(connectionId)) conn.setVersionMask(mask);
  }

  /** A raw line to every connection (client.reconnect, show_message, get_version, ping …). */
  broadcast(line: string): void {
    for (const conn of this.connections.values()) conn.send(line);
  }

  /** Every share judged (when `recordShares` is on). */
  get shares(): readonly SimShareRecord[] {
    return this.ledger.shares;
  }

  stats(): SimPoolStats {
    return this.ledger.snapshot(this.connections.size);
  }

  // faults

  /** Closes connections abruptly (all, or the first `count`). */
  dropConnections(count = Number.POSITIVE_INFINITY): void {
    let n = 0;
    for (const conn of this.connections.values()) {
      if (n++ >= count) break;
      conn.socket.destroy();
    }
  }

  /** Stops answering and pushing (requests are read and ignored) until resume(). */
  stall(): void {
    this.stalled = true;
  }

  resume(): void {
    this.stalled = false;
  }

  /** Writes a line that is not JSON-RPC to every connection. */
  sendGarbage(line = '\u0000\u0001{"id":1,"result":\n'): void {
    for (const conn of this.connections.values()) conn.send(line);
  }

  /** New connections are reset as soon as they arrive (existing ones stay). */
  refuseConnections(on = true): void {
    this.refusing = on;
  }

  /** Each new connection waits this long before the pool reads or answers it. */
  setAcceptDelay(ms: number): void {
    this.acceptDelayMs = ms;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    for (const conn of this.connections.values()) conn.socket.destroy();
    if (this.#server.listening) {
      this.#server.close();
      await once(this.#server, 'close');
    }
  }

  #targets(connectionId: number | undefined): PoolConnection[] {
    if (connectionId === undefined) return [...this.connections.values()];
    const conn = this.connections.get(connectionId);
    return conn ? [conn] : [];
  }

  #timedJob(): void {
    if (this.stalled) return;
    this.#timedJobs++;
    this.pushJob({ clean: this.#timedJobs % (this.#options.cleanEvery ?? 4) === 0 });
  }

  #newBlock(height: number): SimBlock {
    const nbits = this.#options.nbits ?? (this.algorithm === 'scrypt' ? '1a0377ae' : '1703a30c');
    return newSimBlock(height, nbits, this.#options.merkleBranchCount ?? 4);
  }
}
