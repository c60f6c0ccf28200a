// The simulated miner's hashing: real PoW over the job it was sent, in short slices that yield to I/O.

import {
  coinbaseHash,
  hashMeetsTarget,
  merkleRoot,
  type NotifyParams,
  type PreparedJob,
  prepareJob,
  rolledVersion,
  stratumAlgorithm,
  targetFromDifficulty,
  targetToBytes,
  uint32FromHex,
  uint32ToHex,
  writeHeader,
} from '@smart-mining/stratum';

export interface WorkUnit {
  job: NotifyParams;
  extranonce1: string;
  extranonce2Size: number;
  difficulty: number;
  /** The granted version-rolling mask; undefined: no rolling, 5-param submits. */
  versionMask: number | undefined;
}

export interface FoundShare {
  jobId: string;
  extranonce2: string;
  ntime: string;
  nonce: string;
  versionBits: string | undefined;
  difficulty: number;
}

const SLICE_MS = 4;

export class MinerWork {
  /** Hashes computed so far (for the miner's own hashrate). */
  hashes = 0;
  #algorithm: string;
  #onShare: (share: FoundShare) => void;
  #pauseMs: number;
  #unit: WorkUnit | undefined;
  #prepared: PreparedJob | undefined;
  #target: Buffer = Buffer.alloc(32);
  #header = Buffer.alloc(80);
  #extranonce2 = '';
  #versionBits = 0;
  #nonce = 0;
  /** Miner-wide, so a job sent twice never yields the same extranonce2 twice. */
  #extranonceCounter = 0;
  #generation = 0;
  #timer: NodeJS.Timeout | NodeJS.Immediate | undefined;

  constructor(algorithm: string, pauseAfterShareMs: number, onShare: (share: FoundShare) => void) {
    stratumAlgorithm(algorithm);
    this.#algorithm = algorithm;
    this.#pauseMs = pauseAfterShareMs;
    this.#onShare = onShare;
  }

  /** Drops the current search and hashes on this unit. */
  start(unit: WorkUnit): void {
    this.stop();
    this.#unit = unit;
    this.#prepared = prepareJob(unit.job);
    this.#target = targetToBytes(targetFromDifficulty(this.#algorithm, unit.difficulty));
    this.#nextExtranonce2();
    const generation = ++this.#generation;
    this.#timer = setImmediate(() => this.#slice(generation));
  }

  stop(): void {
    this.#generation++;
    this.#unit = undefined;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer as NodeJS.Timeout);
      clearImmediate(this.#timer as NodeJS.Immediate);
    }
  }

  #nextExtranonce2(): void {
    const unit = this.#unit!;
    const prepared = this.#prepared!;
    const n = this.#extranonceCounter++;
    this.#extranonce2 = (n % 2 ** Math.min(48, 8 * unit.extranonce2Size))
      .toString(16)
      .padStart(unit.extranonce2Size * 2, '0')
      .slice(-unit.extranonce2Size * 2);
    const mask = unit.versionMask ?? 0;
    const lowBit = mask & -mask;
    this.#versionBits = mask === 0 ? 0 : (Math.imul(n, lowBit) & mask) >>> 0;
    const version = mask === 0 ? prepared.version : rolledVersion(prepared.version, this.#versionBits, mask);
    const merkle = merkleRoot(coinbaseHash(prepared, unit.extranonce1, this.#extranonce2), prepared.branch);
    writeHeader(prepared, merkle, { version, ntime: uint32FromHex(unit.job.ntime), nonce: 0 }, this.#header);
    this.#nonce = 0;
  }

  #slice(generation: number): void {
    const unit = this.#unit;
    if (unit === undefined || generation !== this.#generation) return;
    const { pow } = stratumAlgorithm(this.#algorithm);
    const deadline = performance.now() + SLICE_MS;
    for (let i = 0; ; i++) {
      this.#header.writeUInt32LE(this.#nonce, 76);
      const hash = pow(this.#header);
      this.hashes++;
      if (hashMeetsTarget(hash, this.#target)) {
        const share: FoundShare = {
          jobId: unit.job.jobId,
          extranonce2: this.#extranonce2,
          ntime: unit.job.ntime,
          nonce: uint32ToHex(this.#nonce),
          versionBits: unit.versionMask === undefined ? undefined : uint32ToHex(this.#versionBits),
          difficulty: unit.difficulty,
        };
        this.#advance();
        this.#timer = setTimeout(() => this.#slice(generation), this.#pauseMs);
        this.#onShare(share);
        return;
      }
      this.#advance();
      if ((i & 15) === 15 && performance.now() > deadline) break;
    }
    this.#timer = setImmediate(() => this.#slice(generation));
  }

  #advance(): void {
    if (this.#nonce === 0xffffffff) this.#nextExtranonce2();
    else this.#nonce++;
  }
}
