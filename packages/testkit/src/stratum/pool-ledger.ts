// The simulated pool's books: counters per worker and code, and (optionally) every share it judged.

import type { SubmitParams } from '@smart-mining/stratum';
import { epochMs } from './clock.ts';
import type { PoolConnection } from './pool-connection.ts';
import type { ShareVerdict } from './sim-share-check.ts';

export interface SimShareRecord {
  atMs: number;
  connectionId: number;
  worker: string;
  jobId: string;
  jobSeq: number | undefined;
  extranonce1: string;
  extranonce2: string;
  ntime: string;
  nonce: string;
  versionBits: string | undefined;
  difficulty: number;
  hashDifficulty: number;
  accepted: boolean;
  errorCode: number | undefined;
  block: boolean;
}

export interface WorkerStats {
  accepted: number;
  rejected: number;
  /** Accepted share difficulty summed (for hashrate estimates). */
  acceptedDifficulty: number;
}

export interface SimPoolStats {
  connections: number;
  accepted: number;
  rejected: number;
  rejectedByCode: Record<number, number>;
  blocks: number;
  workers: Record<string, WorkerStats>;
  jobs: number;
}

/** Stats of a pool that has judged nothing yet. */
export function emptyPoolStats(): SimPoolStats {
  return { connections: 0, accepted: 0, rejected: 0, rejectedByCode: {}, blocks: 0, workers: {}, jobs: 0 };
}

export class PoolLedger {
  /** Every share judged, in order (empty when records are off). */
  readonly shares: SimShareRecord[] = [];
  readonly #recordShares: boolean;
  #stats: SimPoolStats = emptyPoolStats();

  constructor(recordShares: boolean) {
    this.#recordShares = recordShares;
  }

  countJob(): void {
    this.#stats.jobs++;
  }

  /** Counts the verdict; returns the record when records are on. */
  record(conn: PoolConnection, s: SubmitParams, v: ShareVerdict): SimShareRecord | undefined {
    const stats = this.#stats;
    const worker = stats.workers[s.worker] ?? { accepted: 0, rejected: 0, acceptedDifficulty: 0 };
    stats.workers[s.worker] = worker;
    if (v.error === undefined) {
      stats.accepted++;
      worker.accepted++;
      worker.acceptedDifficulty += v.difficulty;
    } else {
      stats.rejected++;
      worker.rejected++;
      stats.rejectedByCode[v.error.code] = (stats.rejectedByCode[v.error.code] ?? 0) + 1;
    }
    if (v.block) stats.blocks++;
    if (!this.#recordShares) return undefined;
    const record: SimShareRecord = {
      atMs: epochMs(),
      connectionId: conn.id,
      worker: s.worker,
      jobId: s.jobId,
      jobSeq: v.job?.seq,
      extranonce1: conn.extranonce1,
      extranonce2: s.extranonce2,
      ntime: s.ntime,
      nonce: s.nonce,
      versionBits: s.versionBits,
      difficulty: v.difficulty,
      hashDifficulty: v.hashDifficulty,
      accepted: v.error === undefined,
      errorCode: v.error?.code,
      block: v.block,
    };
    this.shares.push(record);
    return record;
  }

  /** A copy of the counters, with the number of open connections. */
  snapshot(openConnections: number): SimPoolStats {
    return structuredClone({ ...this.#stats, connections: openConnections });
  }
}
