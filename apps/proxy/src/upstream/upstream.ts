// One upstream with its miners (xmrig-proxy's NonceMapper): the pool connection of one (listener, pool, account,
// lane), the jobs it relays (one notify line per job, written to every attached miner), the miners waiting for
// their first job here (a switch), and the verdicts of the shares it forwarded.

import {
  encodeAccepted,
  encodeError,
  encodeShowMessage,
  type NotifyParams,
  type RpcError,
  type RpcId,
  type SubmitParams,
} from '@smart-mining/stratum';
import type { ListenerRuntime, ProxyContext } from '../context.ts';
import type { MinerSession } from '../downstream/miner-session.ts';
import { MIN_MINER_EXTRANONCE2_SIZE } from '../extranonce.ts';
import { type JobShape, UpstreamJob } from '../jobs/upstream-job.ts';
import type { Account, SwitchMethod, Target } from '../ports.ts';
import { reconnectMiner, sendJob, setMinerExtranonce, syncVersionMask } from './miner-writes.ts';
import { PoolClient } from './pool-client.ts';
import type { PendingSubmit, PoolClientSink } from './pool-client-sink.ts';

/** Jobs kept per upstream (older ones answer 21, as the pool would). */
const MAX_JOBS = 8;
/**
 * Shares the pool rejected in a row (stale ones aside), none accepted between, over more than one of its jobs: the
 * pool is down for the account. Each passed the checks the pool makes before it went up, so a pool refusing them all
 * (a difficulty it counts otherwise, a payout address it will not pay) earns the miners nothing; the next ranked pool
 * does. One job alone is not enough: a pool that applies a raised difficulty at once (not from its next job) rejects
 * the shares between the two difficulties until that job comes.
 */
export const REJECTED_IN_A_ROW_BEFORE_DOWN = 20;

export class Upstream implements PoolClientSink {
  readonly key: string;
  readonly ctx: ProxyContext;
  readonly listener: ListenerRuntime;
  readonly target: Target;
  readonly account: Account;
  readonly lane: number;
  readonly username: string;
  readonly client: PoolClient;
  /** Miners mining this upstream's jobs, and miners waiting for its first job to move here. */
  readonly miners = new Set<MinerSession>();
  readonly joining = new Set<MinerSession>();
  /** The pool's difficulty for its next job (1 until it says: stratum.md §2.1). */
  difficulty = 1;
  extranonce1 = '';
  extranonce2Size = 0;
  current: UpstreamJob | undefined;
  /** Since when the connection has not been usable (0: ready), and since when nobody uses it (0: in use). */
  downSinceMs: number;
  emptySinceMs = 0;
  accepted = 0;
  rejected = 0;
  stale = 0;
  #jobs: UpstreamJob[] = [];
  #closed = false;
  #rejectedInARow = 0;
  /** The job of the first share in that run. */
  #runFirstJob: UpstreamJob | undefined;
  /** The pool has sent a difficulty on this connection (until then `difficulty` is a guess: 1, or the last one). */
  #difficultyTold = false;
  /** Routes keeping this connection open as their standby (warm, with a job at hand, before anyone moves here). */
  readonly #holders = new Set<object>();

  constructor(
    ctx: ProxyContext,
    listener: ListenerRuntime,
    key: string,
    target: Target,
    account: Account,
    lane: number,
    username: string,
  ) {
    this.ctx = ctx;
    this.listener = listener;
    this.key = key;
    this.target = target;
    this.account = account;
    this.lane = lane;
    this.username = username;
    this.downSinceMs = ctx.now();
    const endpoints = target.endpoints.filter((e) => e.dialect === listener.config.dialect);
    const declared = ctx.directory.pool(target.poolKey);
    this.client = new PoolClient(ctx, {
      endpoints,
      username,
      password: declared?.password ?? 'x',
      tls: declared?.tls,
      versionMask: listener.config.versionMask,
      sink: this,
    });
    this.client.start();
  }

  /** The pool's version mask as granted to this connection (0: no version rolling). */
  get versionMask(): number {
    return this.client.versionMask;
  }

  /** Shares for this upstream's jobs can still be forwarded. */
  get open(): boolean {
    return !this.#closed && this.client.state === 'ready';
  }

  get closed(): boolean {
    return this.#closed;
  }

  get jobCount(): number {
    return this.#jobs.length;
  }

  /** Held open by at least one route as its standby. */
  get standby(): boolean {
    return this.#holders.size > 0;
  }

  /** Kept open for `owner` even while no miner uses it; `release` starts the grace period when nobody else does. */
  hold(owner: object): void {
    this.#holders.add(owner);
    this.emptySinceMs = 0;
  }

  release(owner: object): void {
    if (this.#holders.delete(owner)) this.#maybeEmpty();
  }

  /** A miner moves here: at once when a job is at hand, else with the first job. */
  join(s: MinerSession): void {
    if (s.joining !== null && s.joining !== this) s.joining.leave(s);
    if (s.upstream === this) {
      s.joining = null;
      s.route?.minerSettled(s, null);
      return;
    }
    this.emptySinceMs = 0;
    if (this.current !== undefined && this.client.state === 'ready') {
      this.#deliver(s, this.current);
      return;
    }
    s.joining = this;
    this.joining.add(s);
  }

  leave(s: MinerSession): void {
    this.joining.delete(s);
    if (s.joining === this) s.joining = null;
    this.#maybeEmpty();
  }

  detach(s: MinerSession): void {
    this.miners.delete(s);
    if (s.upstream === this) s.upstream = null;
    this.#maybeEmpty();
  }

  /** Forwards a share that meets the pool's target: q ‖ X ‖ xn2 upstream, the verdict back to the miner. */
  submit(
    s: MinerSession,
    minerId: RpcId,
    job: UpstreamJob,
    shape: JobShape,
    p: SubmitParams,
    hashes: number,
  ): void {
    const pending: PendingSubmit = { session: s, minerId, job, hashes, sentAtS: 0 };
    s.sharesInFlight++;
    const sent = this.client.submit(pending, {
      jobId: job.params.jobId,
      extranonce2: shape.filler + s.extranonce1 + p.extranonce2,
      ntime: p.ntime,
      nonce: p.nonce,
      // Version bits go up only under a mask this pool granted (checked locally as (bits & ~mask) = 0).
      versionBits: (s.requestedMask & this.versionMask) === 0 ? undefined : p.versionBits,
    });
    if (!sent)
      this.submitAnswered(pending, { code: 21, message: 'Job not found (pool not connected)', data: null });
  }

  // PoolClientSink

  submitAnswered(p: PendingSubmit, error: RpcError | undefined): void {
    const s = p.session;
    this.#verdict(p, error);
    s.shareAnswered();
  }

  #verdict(p: PendingSubmit, error: RpcError | undefined): void {
    const s = p.session;
    const counts = this.ctx.shares;
    if (error === undefined) {
      this.accepted++;
      this.#rejectedInARow = 0;
      this.#runFirstJob = undefined;
      counts.accepted(s, this.target.poolKey, p.hashes);
      s.send(encodeAccepted(p.minerId));
      return;
    }
    if (error.code === 21) {
      this.stale++;
      counts.stale(s, this.target.poolKey);
    } else {
      this.rejected++;
      counts.rejected(s, this.target.poolKey);
      if (++this.#rejectedInARow === 1) this.#runFirstJob = p.job;
      if (this.#rejectedInARow >= REJECTED_IN_A_ROW_BEFORE_DOWN && p.job !== this.#runFirstJob) {
        this.#rejectsAll(error);
      }
    }
    s.send(encodeError(p.minerId, error));
  }

  #rejectsAll(last: RpcError): void {
    this.#rejectedInARow = 0;
    this.#runFirstJob = undefined;
    const why = `${REJECTED_IN_A_ROW_BEFORE_DOWN} shares in a row rejected (last: ${last.code} ${last.message})`;
    this.ctx.logger.warn(
      { pool: this.target.poolKey, account: this.account.name, reason: why },
      'pool rejects every share',
    );
    this.ctx.health.markDown(this.target.poolKey, why, this.account.name);
  }

  poolSubscribed(): void {
    // A new extranonce1 changes every coinb1': old jobs are dead, every miner gets a clean job again.
    this.#dropJobs();
    this.extranonce1 = this.client.extranonce1;
    this.extranonce2Size = this.client.extranonce2Size;
    this.#rejoinMiners();
    if (this.extranonce2Size - this.listener.config.prefixBytes < MIN_MINER_EXTRANONCE2_SIZE) {
      // No room for X and an extranonce2 a miner takes: this pool cannot serve this listener.
      const k = this.listener.config.prefixBytes;
      this.ctx.health.markDown(
        this.target.poolKey,
        `extranonce2_size ${this.extranonce2Size} leaves no room for ${k} prefix bytes and ${MIN_MINER_EXTRANONCE2_SIZE} for the miner`,
      );
      this.close();
    }
  }

  poolReady(): void {
    if (this.#closed) return;
    // Jobs may come before the authorize answer (Nanopool does): miners waiting for one get it now.
    const job = this.current;
    if (job === undefined) return; // up only once there is work: a pool that logs in but sends none is down
    this.#up();
    for (const s of [...this.joining]) this.#deliver(s, job);
  }

  #up(): void {
    this.downSinceMs = 0;
    this.ctx.health.markUp(this.target.poolKey, this.account.name);
  }

  poolNotify(params: NotifyParams): void {
    if (params.cleanJobs) this.#dropJobs();
    const job = new UpstreamJob(this.ctx.jobs.nextId(), this, params, this.difficulty);
    this.ctx.jobs.add(job);
    this.#jobs.push(job);
    if (this.#jobs.length > MAX_JOBS) this.ctx.jobs.delete(this.#jobs.shift()!);
    this.current = job;
    if (this.downSinceMs !== 0 && this.client.state === 'ready' && !this.#closed) this.#up();
    // The only job kept (the first since a (re)subscribe, or the pool cleaned): nothing mined before it is still good,
    // whatever the pool's flag says.
    const clean = this.#jobs.length === 1;
    for (const s of this.miners) {
      if (s.joining !== this && !sendJob(s, job, clean)) this.#deliver(s, job);
    }
    if (this.joining.size > 0 && this.client.state === 'ready') {
      for (const s of [...this.joining]) this.#deliver(s, job);
    }
  }

  poolDifficulty(difficulty: number): void {
    // In force from the next notify, where each miner gets it just before the job (stratum.md §8.4 #2).
    this.difficulty = difficulty;
    const first = !this.#difficultyTold;
    this.#difficultyTold = true;
    // A pool whose first difficulty follows its first job means it for that job: the job was made at a guess (1,
    // far below a real pool's target), so it is issued again, clean, at the pool's difficulty.
    const job = this.current;
    if (first && job !== undefined && job.difficulty !== difficulty) {
      this.poolNotify({ ...job.params, cleanJobs: true });
    }
  }

  poolExtranonce(extranonce1: string, extranonce2Size: number): void {
    // Some pools repeat the values in force before every job: nothing changed, so the jobs out there stay good.
    if (extranonce1 === this.extranonce1 && extranonce2Size === this.extranonce2Size) return;
    this.poolSubscribed();
  }

  poolVersionMask(): void {
    for (const s of this.miners) syncVersionMask(s, this.versionMask);
  }

  poolMessage(text: string): void {
    const line = encodeShowMessage(text.slice(0, 512));
    for (const s of this.miners) s.send(line);
  }

  poolDown(reason: string): void {
    this.#dropJobs();
    this.#difficultyTold = false;
    if (this.downSinceMs === 0) this.downSinceMs = this.ctx.now();
    this.ctx.logger.warn({ pool: this.target.poolKey, lane: this.lane, reason }, 'upstream down');
    // Miners stay attached and keep their work; the next job after the reconnect reaches them as a clean one.
    this.#rejoinMiners();
  }

  /** From the proxy's tick: stalls, the failover clock, and closing after the grace period when unused. */
  tick(nowMs: number): void {
    this.client.tick(nowMs);
    const t = this.ctx.timings;
    // Down past failoverAfterS: the pool is marked down, and marked again whenever the mark lapses while it
    // still is (so routes do not come back to a pool this upstream cannot reach).
    // A refused login, or one accepted with no job after it, marks the pool down for this account only: its
    // wallet, not the pool, is at fault, and a pool-wide mark would move every other account's miners away from
    // a working pool and back at each downRetryS. (A pool that sends nobody work is marked by each account.)
    const poolKey = this.target.poolKey;
    const account = this.client.loginRefused || this.client.state === 'ready' ? this.account.name : undefined;
    if (
      this.downSinceMs !== 0 &&
      nowMs - this.downSinceMs >= t.failoverAfterS * 1000 &&
      !this.ctx.health.isDown(poolKey, account)
    ) {
      const why =
        this.client.state === 'ready' ? 'logged in, but no job from the pool' : this.client.lastError;
      this.ctx.health.markDown(poolKey, why ?? 'not connected', account);
    }
    if (this.emptySinceMs !== 0 && nowMs - this.emptySinceMs >= t.graceS * 1000) this.close();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#holders.clear();
    this.client.close();
    this.#dropJobs();
    for (const s of this.joining) if (s.joining === this) s.joining = null;
    this.joining.clear();
    for (const s of this.miners) if (s.upstream === this) s.upstream = null;
    this.miners.clear();
  }

  /** Set the miner's extranonce2_size to fit if it can take set_extranonce; else reconnect it, last resort. */
  #deliver(s: MinerSession, job: UpstreamJob): void {
    let method: SwitchMethod = 'notify';
    let shape = job.shapeFor(s.extranonce2Size);
    if (shape === undefined) {
      const fit = this.extranonce2Size - this.listener.config.prefixBytes;
      if (fit < MIN_MINER_EXTRANONCE2_SIZE) return; // this pool is marked down; the route moves the miner elsewhere
      this.joining.delete(s);
      s.joining = null;
      if (!s.extranonceSubscribed) {
        s.route?.minerSettled(s, 'reconnect');
        reconnectMiner(s, fit);
        this.#maybeEmpty();
        return;
      }
      setMinerExtranonce(s, fit);
      method = 'set_extranonce';
      shape = job.shapeFor(fit)!;
    }
    this.joining.delete(s);
    s.joining = null;
    const previous = s.upstream;
    if (previous !== null && previous !== this) previous.detach(s);
    this.miners.add(s);
    s.upstream = this;
    this.emptySinceMs = 0;
    syncVersionMask(s, this.versionMask);
    sendJob(s, job, true);
    s.route?.minerSettled(s, method);
  }

  /** Attached miners wait for the next job, which reaches them clean (new coinb1', maybe new sizes). */
  #rejoinMiners(): void {
    this.current = undefined;
    for (const s of this.miners) {
      if (s.joining === null) {
        s.joining = this;
        this.joining.add(s);
      }
    }
  }

  #dropJobs(): void {
    for (const job of this.#jobs) this.ctx.jobs.delete(job);
    this.#jobs = [];
    this.current = undefined;
  }

  #maybeEmpty(): void {
    if (
      this.miners.size === 0 &&
      this.joining.size === 0 &&
      this.#holders.size === 0 &&
      this.emptySinceMs === 0
    ) {
      this.emptySinceMs = this.ctx.now();
    }
  }
}
