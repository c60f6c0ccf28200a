// Validates a share exactly as a pool does (stratum.md §2.2): header hash vs the share and block targets.

import { stratumAlgorithm } from './algorithms.ts';
import { buildHeader, type PreparedJob, rolledVersion } from './block-header.ts';
import { uint32FromHex } from './hex.ts';

export interface ShareToCheck {
  /** Algorithm key of STRATUM_ALGORITHMS (`sha256d`, `scrypt`). */
  algorithm: string;
  job: PreparedJob;
  /** Normalised hex, as sent to the miner in subscribe / set_extranonce. */
  extranonce1: string;
  /** Normalised hex of the submit (extranonce2, ntime, nonce, optional version_bits). */
  extranonce2: string;
  ntime: string;
  nonce: string;
  versionBits?: string | undefined;
  /** The negotiated version-rolling mask (0 without BIP 310). */
  versionMask: number;
  /** 32 big-endian bytes (`targetToBytes`), the share target in force for the job. */
  shareTarget: Buffer;
  /** 32 big-endian bytes of the block target (`targetToBytes(targetFromBits(nbits))`), to flag block finds. */
  blockTarget?: Buffer | undefined;
}

export interface ShareCheck {
  /** The PoW hash in internal order (little-endian integer). */
  hash: Buffer;
  /** The header version used, after rolling. */
  version: number;
  meetsShareTarget: boolean;
  meetsBlockTarget: boolean;
}

const header = Buffer.allocUnsafeSlow(80);

/** True when the little-endian hash, read as an integer, is ≤ the big-endian target. */
export function hashMeetsTarget(hashLe: Buffer, targetBe: Buffer): boolean {
  for (let i = 0; i < 32; i++) {
    const h = hashLe[31 - i]!;
    const t = targetBe[i]!;
    if (h !== t) return h < t;
  }
  return true;
}

/** The hash's share difficulty, `diff1 / hash` as a double (for stats; 17583.06 for block 100000). */
export function hashDifficulty(algorithm: string, hashLe: Buffer): number {
  let value = 0;
  for (let i = 31; i >= 0; i--) value = value * 256 + hashLe[i]!;
  return Number(stratumAlgorithm(algorithm).diff1) / value;
}

/** The share's 80-byte header, in a buffer reused by the next call, and the version it carries. */
function shareHeader(s: ShareToCheck): { header: Buffer; version: number } {
  const version =
    s.versionBits === undefined
      ? s.job.version
      : rolledVersion(s.job.version, uint32FromHex(s.versionBits), s.versionMask);
  const fields = {
    extranonce2: s.extranonce2,
    ntime: uint32FromHex(s.ntime),
    nonce: uint32FromHex(s.nonce),
    version,
  };
  return { header: buildHeader(s.job, s.extranonce1, fields, header), version };
}

function judged(hash: Buffer, version: number, shareTarget: Buffer, blockTarget?: Buffer): ShareCheck {
  return {
    hash,
    version,
    meetsShareTarget: hashMeetsTarget(hash, shareTarget),
    meetsBlockTarget: blockTarget !== undefined && hashMeetsTarget(hash, blockTarget),
  };
}

/**
 * Checks one share. Inputs must be validated first (the V1 codec does it); a share whose version_bits
 * leave the mask is the caller's rejection (BIP 310: `version_bits & ~mask == 0`), see `versionBitsAllowed`.
 */
export function checkShare(s: ShareToCheck): ShareCheck {
  const { header, version } = shareHeader(s);
  return judged(stratumAlgorithm(s.algorithm).pow(header), version, s.shareTarget, s.blockTarget);
}

/** True when the algorithm's PoW is slow enough to be computed off the event loop (checkShareOffThread). */
export function hashesOffThread(algorithm: string): boolean {
  return stratumAlgorithm(algorithm).powOffThread !== undefined;
}

/**
 * checkShare with the PoW on libuv's thread pool where the algorithm has it there (scrypt), else at once; `done`
 * is then called on the event loop. The header is built before this returns; the target buffers are read when
 * the hash is done, so they must not change meanwhile.
 */
export function checkShareOffThread(s: ShareToCheck, done: (check: ShareCheck) => void): void {
  const { powOffThread } = stratumAlgorithm(s.algorithm);
  if (powOffThread === undefined) {
    done(checkShare(s));
    return;
  }
  const { header, version } = shareHeader(s);
  const { shareTarget, blockTarget } = s;
  // The header buffer is rebuilt by the next share: node:crypto's thread-pool jobs take a copy of their inputs.
  powOffThread(header, (error, hash) => {
    // Only impossible parameters fail (N, r, p are constants): a fault of ours, raised where it is seen.
    if (error !== null) throw error;
    done(judged(hash, version, shareTarget, blockTarget));
  });
}

/** BIP 310: the miner may set only bits of the last mask it received. */
export function versionBitsAllowed(versionBits: string, mask: number): boolean {
  return (uint32FromHex(versionBits) & ~mask) === 0;
}
