// Realistic V1 jobs for the simulated pool: a coinbase whose scriptSig length covers the extranonce slot.
//
// coinb1 = version ‖ 1 input ‖ null prevout ‖ scriptSig length ‖ BIP 34 height push
// [extranonce1 ‖ extranonce2]                          (e1 + n2 bytes, counted in the scriptSig length)
// coinb2 = tag push (job seq LE32 ‖ pool id (2 bytes) ‖ "/sm-sim/") ‖ sequence ‖ 1 output (P2PKH) ‖ locktime
// The pool and job ride in coinb2, which every relay leaves untouched, so a miner behind a proxy can name the
// pool job it received (simJobOrigin) and benchmarks can measure fan-out from the pool's send time.

import { randomBytes } from 'node:crypto';
import {
  encodeNotify,
  type NotifyParams,
  type PreparedJob,
  prepareJob,
  targetFromBits,
  targetToBytes,
  uint32ToHex,
} from '@smart-mining/stratum';

const TAG = Buffer.from('/sm-sim/').toString('hex');
const TAG_PUSH_BYTES = 1 + 4 + 2 + TAG.length / 2;
const HEIGHT_PUSH_BYTES = 4;
const PAYOUT_SCRIPT = `76a914${'11'.repeat(20)}88ac`;

/** A block the pool is mining on: what stays the same between jobs until a clean job. */
export interface SimBlock {
  height: number;
  /** Stratum form (internal bytes, each 4-byte word swapped). */
  prevhash: string;
  merkleBranch: string[];
  version: string;
  nbits: string;
}

export function newSimBlock(height: number, nbits: string, branchCount: number): SimBlock {
  return {
    height,
    prevhash: randomBytes(32).toString('hex'),
    merkleBranch: Array.from({ length: branchCount }, () => randomBytes(32).toString('hex')),
    version: '20000000',
    nbits,
  };
}

const le32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b.toString('hex');
};

/** One job's bytes for one extranonce size (e1 + n2): the notify line, and the job prepared for checks. */
export interface SimJobShape {
  notify: NotifyParams;
  line: Buffer;
  /** The same job with clean_jobs=true, for a connection's first job. */
  cleanLine: Buffer;
  prepared: PreparedJob;
}

export class SimJob {
  readonly seq: number;
  readonly jobId: string;
  /** 4 hex: the pool that made the job. */
  readonly poolId: string;
  readonly clean: boolean;
  readonly block: SimBlock;
  readonly ntime: string;
  /** The pool connection this job was made for (after set_extranonce), or undefined for everyone. */
  readonly ownerId: number | undefined;
  readonly blockTarget: Buffer;
  /** Duplicate detection: one key per share checked on this job. */
  readonly shareKeys = new Set<string>();
  sentAtMs = 0;
  #shapes = new Map<number, SimJobShape>();

  constructor(
    poolId: string,
    seq: number,
    block: SimBlock,
    clean: boolean,
    ntimeS: number,
    ownerId?: number,
  ) {
    this.poolId = poolId;
    this.seq = seq;
    this.jobId = seq.toString(16);
    this.block = block;
    this.clean = clean;
    this.ntime = uint32ToHex(ntimeS);
    this.ownerId = ownerId;
    this.blockTarget = targetToBytes(targetFromBits(Number.parseInt(block.nbits, 16)));
  }

  /** The job for connections whose extranonce1 + extranonce2_size is `extranonceBytes` (cached). */
  shape(extranonceBytes: number): SimJobShape {
    let s = this.#shapes.get(extranonceBytes);
    if (s === undefined) {
      s = this.#build(extranonceBytes);
      this.#shapes.set(extranonceBytes, s);
    }
    return s;
  }

  #build(extranonceBytes: number): SimJobShape {
    const scriptSigBytes = HEIGHT_PUSH_BYTES + extranonceBytes + TAG_PUSH_BYTES;
    const height = le32(this.block.height).slice(0, 6);
    const coinb1 = `01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff${scriptSigBytes
      .toString(16)
      .padStart(2, '0')}03${height}`;
    const value = Buffer.alloc(8);
    value.writeBigUInt64LE(625_000_000n);
    const coinb2 = `${(TAG_PUSH_BYTES - 1).toString(16).padStart(2, '0')}${le32(this.seq)}${this.poolId}${TAG}ffffffff01${value.toString('hex')}${(PAYOUT_SCRIPT.length / 2).toString(16)}${PAYOUT_SCRIPT}00000000`;
    const notify: NotifyParams = {
      jobId: this.jobId,
      prevhash: this.block.prevhash,
      coinb1,
      coinb2,
      merkleBranch: this.block.merkleBranch,
      version: this.block.version,
      nbits: this.block.nbits,
      ntime: this.ntime,
      cleanJobs: this.clean,
    };
    return {
      notify,
      line: Buffer.from(encodeNotify(notify)),
      cleanLine: Buffer.from(encodeNotify({ ...notify, cleanJobs: true })),
      prepared: prepareJob(notify),
    };
  }
}

/** Which simulated pool made a job, and its seq there. */
export interface SimJobOrigin {
  poolId: string;
  seq: number;
}

/** The pool and job a coinb2 of the simulated pool names, or undefined for other coinb2s. */
export function simJobOrigin(coinb2: string): SimJobOrigin | undefined {
  if (coinb2.length < 14 + TAG.length || coinb2.slice(14, 14 + TAG.length) !== TAG) return undefined;
  return { seq: Buffer.from(coinb2.slice(2, 10), 'hex').readUInt32LE(0), poolId: coinb2.slice(10, 14) };
}
