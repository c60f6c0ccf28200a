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
}

export function findShare(
  algorithm: 'sha256d' | 'scrypt',
  job: NotifyParams,
  extranonce1: string,
  extranonce2: string,
  difficulty: number,
): FoundShare {
  const prepared = prepareJob(job);
  const shareTarget = targetToBytes(targetFromDifficulty(algorithm, difficulty));
  for (let nonce = 0; nonce < 1_000_000; nonce++) {
    const share = { extranonce2, ntime: job.ntime, nonce: uint32ToHex(nonce) };
    const r = checkShare({ algorithm, job: prepared, extranonce1, ...share, versionMask: 0, shareTarget });
    if (r.meetsShareTarget) return share;
  }
  throw new Error('no share found');
}
