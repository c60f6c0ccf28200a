// The simulated pool's verdict on one submit, in the order a real pool checks (codes 20–25, stratum.md §1).

import {
  checkShare,
  hashDifficulty,
  type RpcError,
  type SubmitParams,
  targetFromDifficulty,
  targetToBytes,
  uint32FromHex,
  versionBitsAllowed,
  wireError,
} from '@smart-mining/stratum';
import type { PoolConnection } from './pool-connection.ts';
import type { SimJob } from './sim-job.ts';

export interface ShareVerdict {
  /** Undefined when accepted. */
  error: RpcError | undefined;
  job: SimJob | undefined;
  /** The share difficulty in force for the job on this connection (0 when the job is unknown). */
  difficulty: number;
  /** The hash's own difficulty (0 when not hashed). */
  hashDifficulty: number;
  block: boolean;
}

/** ntime may roll forward up to two hours past the job's, never back (Bitcoin's future-block limit). */
const NTIME_ROLL_S = 7200;

const targets = new Map<string, Buffer>();
function shareTarget(algorithm: string, difficulty: number): Buffer {
  const key = `${algorithm}:${difficulty}`;
  let t = targets.get(key);
  if (t === undefined) {
    t = targetToBytes(targetFromDifficulty(algorithm, difficulty));
    if (targets.size > 1000) targets.clear();
    targets.set(key, t);
  }
  return t;
}

export function checkSimShare(
  conn: PoolConnection,
  s: SubmitParams,
  pool: { algorithm: string },
): ShareVerdict {
  const reject = (error: RpcError, job?: SimJob, difficulty = 0): ShareVerdict => ({
    error,
    job,
    difficulty,
    hashDifficulty: 0,
    block: false,
  });
  if (conn.state !== 'subscribed') return reject(wireError('notSubscribed'));
  if (!conn.workers.has(s.worker)) return reject(wireError('unauthorized'));
  const job = conn.job(s.jobId);
  if (job === undefined) return reject(wireError('jobNotFound'));
  const difficulty = conn.difficultyFor(job.seq);
  if (s.extranonce2.length !== conn.extranonce2Size * 2) {
    return reject(
      wireError('other', `Invalid extranonce2 size (expected ${conn.extranonce2Size})`),
      job,
      difficulty,
    );
  }
  if (s.versionBits !== undefined) {
    if (conn.versionMask === undefined)
      return reject(wireError('other', 'Version rolling not negotiated'), job, difficulty);
    if (!versionBitsAllowed(s.versionBits, conn.versionMask)) {
      return reject(wireError('other', 'Version bits outside the mask'), job, difficulty);
    }
  }
  const ntime = uint32FromHex(s.ntime);
  const jobTime = uint32FromHex(job.ntime);
  if (ntime < jobTime || ntime > jobTime + NTIME_ROLL_S)
    return reject(wireError('other', 'ntime out of range'), job, difficulty);
  const key = `${conn.extranonce1}:${s.extranonce2}:${s.ntime}:${s.nonce}:${s.versionBits ?? ''}`;
  if (job.shareKeys.has(key)) return reject(wireError('duplicateShare'), job, difficulty);
  job.shareKeys.add(key);
  const shape = job.shape(conn.extranonce1.length / 2 + conn.extranonce2Size);
  const result = checkShare({
    algorithm: pool.algorithm,
    job: shape.prepared,
    extranonce1: conn.extranonce1,
    extranonce2: s.extranonce2,
    ntime: s.ntime,
    nonce: s.nonce,
    versionBits: s.versionBits,
    versionMask: conn.versionMask ?? 0,
    shareTarget: shareTarget(pool.algorithm, difficulty),
    blockTarget: job.blockTarget,
  });
  return {
    error: result.meetsShareTarget ? undefined : wireError('lowDifficulty'),
    job,
    difficulty,
    hashDifficulty: hashDifficulty(pool.algorithm, result.hash),
    block: result.meetsBlockTarget,
  };
}
