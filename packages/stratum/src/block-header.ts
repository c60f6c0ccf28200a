// Bitcoin-family header assembly (stratum.md §2.2): coinbase, merkle fold, 80-byte header, version rolling.

import { uint32FromHex } from './hex.ts';
import { sha256d } from './pow.ts';

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
}

export function prepareJob(job: HeaderJobFields): PreparedJob {
  return {
    coinb1: Buffer.from(job.coinb1, 'hex'),
    coinb2: Buffer.from(job.coinb2, 'hex'),
    branch: job.merkleBranch.map((b) => Buffer.from(b, 'hex')),
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
const nodeScratch = Buffer.allocUnsafeSlow(64);

/** sha256d(coinb1 ‖ extranonce1 ‖ extranonce2 ‖ coinb2): the coinbase txid, internal order. */
export function coinbaseHash(job: PreparedJob, extranonce1: string, extranonce2: string): Buffer {
  const size = job.coinb1.length + (extranonce1.length + extranonce2.length) / 2 + job.coinb2.length;
  if (coinbaseScratch.length < size) coinbaseScratch = Buffer.allocUnsafeSlow(size * 2);
  let at = job.coinb1.copy(coinbaseScratch, 0);
  at += coinbaseScratch.write(extranonce1, at, 'hex');
  at += coinbaseScratch.write(extranonce2, at, 'hex');
  at += job.coinb2.copy(coinbaseScratch, at);
  return sha256d(coinbaseScratch.subarray(0, at));
}

/** Folds the branch onto the coinbase hash (the coinbase is leaf 0, always on the left). */
export function merkleRoot(coinbase: Buffer, branch: readonly Buffer[]): Buffer {
  let root = coinbase;
  for (const node of branch) {
    root.copy(nodeScratch, 0);
    node.copy(nodeScratch, 32);
    root = sha256d(nodeScratch);
  }
  return root;
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

/** The full header of a share: coinbase, merkle fold and the 80 bytes, in one call. */
export function buildHeader(job: PreparedJob, extranonce1: string, share: ShareFields, into: Buffer): Buffer {
  const merkle = merkleRoot(coinbaseHash(job, extranonce1, share.extranonce2), job.branch);
  return writeHeader(job, merkle, share, into);
}
