// What a pool client reports to its owner (the Upstream), and the shares it keeps waiting for a verdict.

import type { NotifyParams, RpcError, RpcId } from '@smart-mining/stratum';
import type { MinerSession } from '../downstream/miner-session.ts';
import type { UpstreamJob } from '../jobs/upstream-job.ts';

/** A share sent to the pool, waiting for its verdict. */
export interface PendingSubmit {
  session: MinerSession;
  minerId: RpcId;
  job: UpstreamJob;
  hashes: number;
  sentAtS: number;
}

export interface PoolClientSink {
  poolSubscribed(extranonce1: string, extranonce2Size: number): void;
  poolReady(): void;
  poolNotify(params: NotifyParams): void;
  poolDifficulty(difficulty: number): void;
  /** mining.set_extranonce from the pool: used from its next notify. */
  poolExtranonce(extranonce1: string, extranonce2Size: number): void;
  poolVersionMask(mask: number): void;
  poolMessage(text: string): void;
  poolDown(reason: string): void;
  submitAnswered(pending: PendingSubmit, error: RpcError | undefined): void;
}

/** Shares sent and not yet answered, by request id; ids cycle below 2^31. */
export class PendingSubmits {
  readonly #byId = new Map<number, PendingSubmit>();
  readonly #firstId: number;
  #nextId: number;
  /** The newest id the pool has answered: an older one still waiting was passed over, not stalled. */
  #newestAnswered = -1;

  constructor(firstId: number) {
    this.#firstId = firstId;
    this.#nextId = firstId;
  }

  add(pending: PendingSubmit): number {
    const id = this.#nextId;
    this.#nextId = id >= 0x7fffffff ? this.#firstId : id + 1;
    if (id < this.#newestAnswered) this.#newestAnswered = -1; // the ids went round
    this.#byId.set(id, pending);
    return id;
  }

  /** The pool's verdict for `id` came: the share, if it was waiting. */
  take(id: number): PendingSubmit | undefined {
    const pending = this.#byId.get(id);
    if (pending === undefined) return undefined;
    this.#byId.delete(id);
    if (id > this.#newestAnswered) this.#newestAnswered = id;
    return pending;
  }

  /**
   * Taken out: shares waiting longer than `timeoutMs` that the pool passed over (it answered newer ones; some pools
   * never answer a share they drop). The pool is alive: these get 21 each, and its connection stays.
   */
  passedOver(nowS: number, timeoutMs: number): PendingSubmit[] {
    const out: PendingSubmit[] = [];
    for (const [id, p] of this.#byId) {
      if (id > this.#newestAnswered || (nowS - p.sentAtS) * 1000 <= timeoutMs) break;
      this.#byId.delete(id);
      out.push(p);
    }
    return out;
  }

  /** The one waiting longest (Map order is insertion order). */
  oldest(): PendingSubmit | undefined {
    return this.#byId.values().next().value;
  }

  /** Empties the table and returns what was in it. */
  drain(): PendingSubmit[] {
    const all = [...this.#byId.values()];
    this.#byId.clear();
    return all;
  }

  get size(): number {
    return this.#byId.size;
  }
}
