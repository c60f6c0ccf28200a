// Finds a real share for a job by hashing (at the simulated pools' low difficulty this takes milliseconds).

import {
  checkShare,
  type NotifyParams,
  prepareJob,
  targetFromDifficulty,
  targetToBytes,
  uint32ToHex,
} from '@smart-mining/stratum';

export interface FoundShare {
  extranonce2: string;
  ntime: string;
  nonce: string;
  /** BIP 310's 6th submit param, when the share was found on a rolled version. */
  versionBits?: string;
}

export function findShare(
  algorithm: 'sha256d' | 'scrypt',
  job: NotifyParams,
  extranonce1: string,
  extranonce2: string,
  difficulty: number,
  /**
   * Roll the version (BIP 310), sent as the 6th param: these bits under this mask, or bits alone (hashed under a
   * mask of exactly these bits).
   */
  roll?: string | { versionBits: string; versionMask: number },
): FoundShare {
  const prepared = prepareJob(job);
  const shareTarget = targetToBytes(targetFromDifficulty(algorithm, difficulty));
  const rolled =
    typeof roll === 'string' ? { versionBits: roll, versionMask: Number.parseInt(roll, 16) } : roll;
  for (let nonce = 0; nonce < 1_000_000; nonce++) {
    const share = { extranonce2, ntime: job.ntime, nonce: uint32ToHex(nonce) };
    const r = checkShare({
      algorithm,
      job: prepared,
      extranonce1,
      ...share,
      versionMask: 0,
      ...rolled,
      shareTarget,
    });
    if (r.meetsShareTarget)
      return rolled === undefined ? share : { ...share, versionBits: rolled.versionBits };
  }
  throw new Error('no share found');
}

/** Whether a found share also meets `difficulty`. */
export function meetsDifficulty(
  job: NotifyParams,
  extranonce1: string,
  share: FoundShare,
  difficulty: number,
  algorithm: 'sha256d' | 'scrypt' = 'sha256d',
): boolean {
  return checkShare({
    algorithm,
    job: prepareJob(job),
    extranonce1,
    ...share,
    versionMask: 0,
    shareTarget: targetToBytes(targetFromDifficulty(algorithm, difficulty)),
  }).meetsShareTarget;
}

/** A sha256d share of `job` meeting `difficulty` but not `ceiling` (a pool's), from extranonce2 `from` on. */
export function shareBelow(
  job: NotifyParams,
  extranonce1: string,
  difficulty: number,
  ceiling: number,
  from = 0,
): FoundShare {
  for (let i = from; i < from + 5000; i++) {
    const share = findShare('sha256d', job, extranonce1, uint32ToHex(i).slice(2), difficulty);
    if (!meetsDifficulty(job, extranonce1, share, ceiling)) return share;
  }
  throw new Error(`no share between difficulty ${difficulty} and ${ceiling}`);
}
