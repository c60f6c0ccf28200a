// Bitcoin-family header assembly (stratum.md §2.2): coinbase, merkle fold, 80-byte header, version rolling.

import { uint32FromHex } from './hex.ts';
import {
  digestWords,
  type Sha256Midstate,
  sha256dFoldInto,
  sha256dFromMidstateInto,
  sha256dPairInto,
  sha256Midstate,
} from './sha256.ts';

/** The job fields a header is built from, as mining.notify carries them (normalised hex). */
export interface HeaderJobFields {
  /** 64 hex, stratum form: internal bytes with each 4-byte word byte-swapped. */
  prevhash: string;
  coinb1: string;
  coinb2: string;
  /** 64 hex each, internal byte order. */
  merkleBranch: readonly string[];
  /** 8 hex, big-endian hex of the uint32. */
  version: string;
  nbits: string;
}

/** A job decoded once into bytes, so each share costs only hashing. */
export interface PreparedJob {
  coinb1: Buffer;
  coinb2: Buffer;
  branch: readonly Buffer[];
  /** Internal byte order, as the header holds it (the notify's per-word swap undone). */
  prevhash: Buffer;
  version: number;
  nbits: number;
  /** SHA-256 state after coinb1's whole 64-byte blocks: each share hashes only the rest of its coinbase. */
  coinb1Midstate: Sha256Midstate;
  /** The branch as big-endian words (`digestWords`), for the allocation-free fold of `buildHeader`. */
  branchWords: Int32Array;
}

export function prepareJob(job: HeaderJobFields): PreparedJob {
  const coinb1 = Buffer.from(job.coinb1, 'hex');
  const branch = job.merkleBranch.map((b) => Buffer.from(b, 'hex'));
  return {
    coinb1,
    coinb1Midstate: sha256Midstate(coinb1),
    coinb2: Buffer.from(job.coinb2, 'hex'),
    branch,
    branchWords: digestWords(branch),
    prevhash: Buffer.from(job.prevhash, 'hex').swap32(),
    version: uint32FromHex(job.version),
    nbits: uint32FromHex(job.nbits),
  };
}

/** BIP 310: `nVersion = (job_version & ~mask) | (version_bits & mask)`. */
export function rolledVersion(jobVersion: number, versionBits: number, mask: number): number {
  return ((jobVersion & ~mask) | (versionBits & mask)) >>> 0;
}

// Scratch buffers reused by every call (synchronous code, one thread): no allocation per share but the hashes.
let coinbaseScratch = Buffer.allocUnsafeSlow(512);
const merkleScratch = Buffer.allocUnsafeSlow(32);

/**
 * sha256d(coinb1 ‖ extranonce1 ‖ extranonce2 ‖ coinb2), the coinbase txid in internal order, written to
 * `out[outOffset…+32]`. Only the part after coinb1's midstate is assembled and hashed.
 */
export function coinbaseHashInto(
  job: PreparedJob,
  extranonce1: string,
  extranonce2: string,
  out: Buffer,
  outOffset: number,
): void {
  const mid = job.coinb1Midstate;
  const size =
    job.coinb1.length - mid.bytes + (extranonce1.length + extranonce2.length) / 2 + job.coinb2.length;
  if (coinbaseScratch.length < size) coinbaseScratch = Buffer.allocUnsafeSlow(size * 2);
  let at = job.coinb1.copy(coinbaseScratch, 0, mid.bytes);
  at += coinbaseScratch.write(extranonce1, at, 'hex');
  at += coinbaseScratch.write(extranonce2, at, 'hex');
  at += job.coinb2.copy(coinbaseScratch, at);
  sha256dFromMidstateInto(mid, coinbaseScratch, 0, at, out, outOffset);
}

/** sha256d(coinb1 ‖ extranonce1 ‖ extranonce2 ‖ coinb2): the coinbase txid, internal order. */
export function coinbaseHash(job: PreparedJob, extranonce1: string, extranonce2: string): Buffer {
  const out = Buffer.allocUnsafe(32);
  coinbaseHashInto(job, extranonce1, extranonce2, out, 0);
  return out;
}

/**
 * Folds the branch onto the coinbase hash (the coinbase is leaf 0, always on the left), writing the root to
 * `out[outOffset…+32]`; `out` may hold the coinbase hash itself.
 */
export function merkleRootInto(
  coinbase: Buffer,
  coinbaseOffset: number,
  branch: readonly Buffer[],
  out: Buffer,
  outOffset: number,
): void {
  if (branch.length === 0) {
    coinbase.copy(out, outOffset, coinbaseOffset, coinbaseOffset + 32);
    return;
  }
  sha256dPairInto(coinbase, coinbaseOffset, branch[0]!, 0, out, outOffset);
  for (let i = 1; i < branch.length; i++) sha256dPairInto(out, outOffset, branch[i]!, 0, out, outOffset);
}

/** Folds the branch onto the coinbase hash (the coinbase is leaf 0, always on the left). */
export function merkleRoot(coinbase: Buffer, branch: readonly Buffer[]): Buffer {
  const out = Buffer.allocUnsafe(32);
  merkleRootInto(coinbase, 0, branch, out, 0);
  return out;
}

/** The submitted fields of a share, as uint32 where the header holds numbers. */
export interface ShareFields {
  extranonce2: string;
  ntime: number;
  nonce: number;
  /** The header version after rolling (the job's version when the miner does not roll). */
  version: number;
}

/** Writes the 80-byte header (LE fields, internal-order hashes) into `into` and returns it. */
export function writeHeader(
  job: PreparedJob,
  merkle: Buffer,
  share: Omit<ShareFields, 'extranonce2'>,
  into: Buffer,
): Buffer {
  into.writeUInt32LE(share.version, 0);
  job.prevhash.copy(into, 4);
  merkle.copy(into, 36);
  into.writeUInt32LE(share.ntime, 68);
  into.writeUInt32LE(job.nbits, 72);
  into.writeUInt32LE(share.nonce, 76);
  return into;
}

/** The full header of a share: coinbase, merkle fold and the 80 bytes, in one call (no allocation). */
export function buildHeader(job: PreparedJob, extranonce1: string, share: ShareFields, into: Buffer): Buffer {
  coinbaseHashInto(job, extranonce1, share.extranonce2, merkleScratch, 0);
  sha256dFoldInto(merkleScratch, 0, job.branchWords, merkleScratch, 0);
  return writeHeader(job, merkleScratch, share, into);
}
