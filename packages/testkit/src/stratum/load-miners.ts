// Load mode: tens of thousands of light miner connections from one process, submitting at a steady rate.
//
// Per connection: the socket, one small LoadConnection (it is the framer's sink, and shared listener
// functions find it through the socket, so there is no closure per connection) and a LineFramer that holds
// no buffer between lines. Jobs are parsed once per distinct notify line, not once per connection.
// Shares: at a difficulty whose target is 2^256 − 1 (SIM_LOAD_DIFFICULTY) any nonce is a share, so the
// default submits without hashing; `hash: true` searches each share with real PoW instead.
// Note: a process holds at most `ulimit -n` sockets (20000 here): run several load processes for more.

import { connect } from 'node:net';
import {
  checkShare,
  encodeAuthorize,
  encodeSubmit,
  encodeSubscribe,
  type NotifyParams,
  prepareJob,
  targetFromDifficulty,
  targetToBytes,
  uint32ToHex,
} from '@smart-mining/stratum';
import { epochMs } from './clock.ts';
import {
  AUTHORIZE_ID,
  LoadConnection,
  type LoadHub,
  type LoadJob,
  type LoadSocket,
  loadReadOptions,
  SUBSCRIBE_ID,
} from './load-connection.ts';
import { type Percentiles, SampleRecorder, summarize } from './sample-recorder.ts';
import { simJobOrigin } from './sim-job.ts';

export interface LoadMinersOptions {
  host: string;
  port: number;
  miners: number;
  algorithm: 'sha256d' | 'scrypt';
  /** Shares per second per miner (default 1). */
  sharesPerSecond?: number;
  /** Username of miner i (default `load.w<i>`). */
  username?: (index: number) => string;
  password?: string;
  /** Real PoW per share (default false: needs SIM_LOAD_DIFFICULTY at the pool). */
  hash?: boolean;
  /** Connections opened at once while starting (default 500). */
  connectBatch?: number;
  /** How often due shares are sent (default 1 ms). */
  tickMs?: number;
  /**
   * The order miners take turns in each round: `shuffled` (default; a fixed pseudo-random order, as independent
   * miners submit) or `connection` (the order they connected in: neighbours submit one after the other).
   */
  order?: 'shuffled' | 'connection';
}

/** Submit ids cycle through this many slots per connection for their send times. */
const RING = 8;

/**
 * 0..n−1 in a fixed pseudo-random order (Fisher–Yates over a seeded mulberry32): the same every run, and
 * uncorrelated with the order the miners connected in.
 */
export function shuffledOrder(n: number, seed = 0x5eed): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const swap = order[i]!;
    order[i] = order[j]!;
    order[j] = swap;
  }
  return order;
}

export interface LoadStats {
  miners: number;
  mining: number;
  submitted: number;
  accepted: number;
  rejected: number;
  errors: number;
  /** Submit sent → answer received, ms. */
  submitLatencyMs: Percentiles;
}

export class LoadMiners implements LoadHub {
  readonly options: LoadMinersOptions;
  readonly connections: LoadConnection[] = [];
  mining = 0;
  submitted = 0;
  accepted = 0;
  rejected = 0;
  errors = 0;
  lastNotifyLine = '';
  lastJob: LoadJob | undefined;
  readonly latencies = new SampleRecorder();
  /** Pairs per notify received: pool job seq (from the coinb2 tag) and the arrival time in epoch ms. */
  readonly arrivalSeqs = new SampleRecorder();
  readonly arrivalTimes = new SampleRecorder();
  #sentAt: Float64Array;
  #timer: NodeJS.Timeout | undefined;
  #due = 0;
  #cursor = 0;
  /** Connection indexes in the order they submit within a round (see #startSubmitting). */
  #order: Uint32Array = new Uint32Array(0);
  #lastTickMs = 0;

  constructor(options: LoadMinersOptions) {
    this.options = options;
    this.#sentAt = new Float64Array(options.miners * RING);
  }

  /** Opens every connection (in batches), subscribes and authorizes; resolves when each has a job or closed. */
  static async start(options: LoadMinersOptions): Promise<LoadMiners> {
    const load = new LoadMiners(options);
    await load.#connectAll();
    load.#startSubmitting();
    return load;
  }

  async #connectAll(): Promise<void> {
    const { miners, connectBatch = 500 } = this.options;
    for (let from = 0; from < miners; from += connectBatch) {
      const batch: Promise<void>[] = [];
      for (let i = from; i < Math.min(miners, from + connectBatch); i++) batch.push(this.#open(i));
      await Promise.all(batch);
    }
  }

  #open(index: number): Promise<void> {
    const { host, port, username = (i: number) => `load.w${i}`, password = 'x' } = this.options;
    const socket = connect({
      host,
      port,
      noDelay: true,
      onread: loadReadOptions,
    }) as LoadSocket;
    const conn = new LoadConnection(this, index, socket, username(index));
    this.connections.push(conn);
    socket.once('connect', () => {
      if (conn.state !== 'connecting') return;
      conn.state = 'subscribing';
      const hello =
        encodeSubscribe(SUBSCRIBE_ID, 'sm-load/1.0') +
        encodeAuthorize(AUTHORIZE_ID, { username: conn.username, password });
      socket.write(hello);
    });
    return new Promise((resolve) => {
      conn.onSettled = resolve;
    });
  }

  jobFor(line: string, notify: NotifyParams): LoadJob {
    const job: LoadJob = {
      notify,
      poolJobSeq: simJobOrigin(notify.coinb2)?.seq ?? -1,
      prepared: this.options.hash ? prepareJob(notify) : undefined,
    };
    this.lastNotifyLine = line;
    this.lastJob = job;
    return job;
  }

  jobArrived(job: LoadJob): void {
    this.arrivalSeqs.add(job.poolJobSeq);
    this.arrivalTimes.add(epochMs());
  }

  answered(conn: LoadConnection, id: number, accepted: boolean): void {
    const sentAt = this.#sentAt[conn.index * RING + (id % RING)]!;
    if (sentAt > 0) this.latencies.add(epochMs() - sentAt);
    if (accepted) this.accepted++;
    else this.rejected++;
  }

  #startSubmitting(): void {
    // Independent miners' shares come in no particular order. Visiting them in connection order would send each
    // tick's shares from neighbours, which a proxy seats on the same pool connection (its lanes fill in arrival
    // order): one pool connection would take every burst.
    const n = this.connections.length;
    this.#order =
      this.options.order === 'connection' ? Uint32Array.from({ length: n }, (_, i) => i) : shuffledOrder(n);
    this.#lastTickMs = epochMs();
    // A short tick by default: real miners submit independently, not in bursts; a coarse tick sends hundreds of
    // shares at once and measures the queueing of the burst instead of the path of one share.
    this.#timer = setInterval(() => this.#tick(), this.options.tickMs ?? 1);
  }

  /** Spreads submits evenly: each tick sends the share of miners × rate × elapsed that is due. */
  #tick(): void {
    const now = epochMs();
    const rate = this.options.sharesPerSecond ?? 1;
    this.#due += (this.connections.length * rate * (now - this.#lastTickMs)) / 1000;
    this.#lastTickMs = now;
    const n = this.connections.length;
    for (let scanned = 0; this.#due >= 1 && scanned < n; scanned++) {
      const conn = this.connections[this.#order[this.#cursor]!]!;
      this.#cursor = (this.#cursor + 1) % n;
      if (conn.state !== 'mining' || conn.job === undefined) continue;
      this.#submit(conn, conn.job);
      this.#due--;
    }
    if (this.#due > n) this.#due = n; // never build a backlog larger than one round
  }

  #submit(conn: LoadConnection, job: LoadJob): void {
    const id = AUTHORIZE_ID + 1 + conn.submitSeq++;
    const extranonce2 = uint32ToHex(conn.submitSeq)
      .padStart(conn.extranonce2Size * 2, '0')
      .slice(-conn.extranonce2Size * 2);
    let nonce = conn.nonce++;
    if (job.prepared !== undefined) nonce = this.#search(conn, job, extranonce2, nonce);
    const n = job.notify;
    const line = encodeSubmit(id, {
      worker: conn.username,
      jobId: n.jobId,
      extranonce2,
      ntime: n.ntime,
      nonce: uint32ToHex(nonce),
    });
    this.#sentAt[conn.index * RING + (id % RING)] = epochMs();
    this.submitted++;
    conn.socket.write(line);
  }

  /** The first nonce from `start` whose hash meets the share target (real PoW). */
  #search(conn: LoadConnection, job: LoadJob, extranonce2: string, start: number): number {
    const shareTarget = targetToBytes(targetFromDifficulty(this.options.algorithm, conn.difficulty));
    for (let nonce = start; nonce < start + 100_000; nonce++) {
      const r = checkShare({
        algorithm: this.options.algorithm,
        job: job.prepared!,
        extranonce1: conn.extranonce1,
        extranonce2,
        ntime: job.notify.ntime,
        nonce: uint32ToHex(nonce),
        versionMask: 0,
        shareTarget,
      });
      if (r.meetsShareTarget) {
        conn.nonce = nonce + 1;
        return nonce;
      }
    }
    return start;
  }

  stats(): LoadStats {
    return {
      miners: this.connections.length,
      mining: this.mining,
      submitted: this.submitted,
      accepted: this.accepted,
      rejected: this.rejected,
      errors: this.errors,
      submitLatencyMs: summarize(this.latencies.values()),
    };
  }

  /** Per pool job: how many miners received it and when (epoch ms), for fan-out against the pool's send time. */
  jobArrivals(): {
    seq: number;
    count: number;
    firstMs: number;
    p50Ms: number;
    p99Ms: number;
    lastMs: number;
  }[] {
    const bySeq = new Map<number, number[]>();
    const seqs = this.arrivalSeqs.values();
    const times = this.arrivalTimes.values();
    for (let i = 0; i < seqs.length; i++) {
      const list = bySeq.get(seqs[i]!) ?? [];
      list.push(times[i]!);
      bySeq.set(seqs[i]!, list);
    }
    return [...bySeq].map(([seq, list]) => {
      const s = summarize(Float64Array.from(list));
      return { seq, count: s.count, firstMs: s.min, p50Ms: s.p50, p99Ms: s.p99, lastMs: s.max };
    });
  }

  /** Clears latencies and arrivals (after a warm-up). */
  resetMeasurements(): void {
    this.latencies.clear();
    this.arrivalSeqs.clear();
    this.arrivalTimes.clear();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    for (const conn of this.connections) conn.socket.destroy();
  }
}
