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
  /** Rolled version bits (BIP 310), hashed under a mask of exactly these bits. */
  versionBits?: string,
): FoundShare & { versionBits?: string } {
  const prepared = prepareJob(job);
  const shareTarget = targetToBytes(targetFromDifficulty(algorithm, difficulty));
  const versionMask = versionBits === undefined ? 0 : Number.parseInt(versionBits, 16);
  for (let nonce = 0; nonce < 1_000_000; nonce++) {
    const share = { extranonce2, ntime: job.ntime, nonce: uint32ToHex(nonce) };
    const r = checkShare({
      algorithm,
      job: prepared,
      extranonce1,
      ...share,
      versionBits,
      versionMask,
      shareTarget,
    });
    if (r.meetsShareTarget) return versionBits === undefined ? share : { ...share, versionBits };
  }
  throw new Error('no share found');
}
