// One pool job as the proxy relays it: the folded notify line(s), built once and written to every miner of the
// upstream as the same Buffer, and what a share for it is checked against.

import {
  encodeNotify,
  encodeSetDifficulty,
  type NotifyParams,
  type PreparedJob,
  prepareJob,
} from '@smart-mining/stratum';
import type { Upstream } from '../upstream/upstream.ts';
import { hashesForShare, shareTargetBytes } from './difficulty-cache.ts';

/**
 * The job for miners whose extranonce2_size is n2 (the fold, stratum.md §2.4): coinb1' = coinb1_up ‖ E1_up ‖ q
 * with |q| = n2_up − k − n2. Miners of one upstream nearly always share one n2, hence one shape.
 */
export interface JobShape {
  readonly n2: number;
  /** q: zero bytes heading every upstream extranonce2 (q ‖ X ‖ xn2). */
  readonly filler: string;
  readonly prepared: PreparedJob;
  readonly line: Buffer;
  cleanLine: Buffer | undefined;
  lineWithDifficulty: Buffer | undefined;
  cleanLineWithDifficulty: Buffer | undefined;
}

let nextSeq = 1;

export class UpstreamJob {
  readonly id: string;
  readonly upstream: Upstream;
  readonly params: NotifyParams;
  /** The pool's difficulty in force for this job (set_difficulty applies to the next notify). */
  readonly difficulty: number;
  /** 32 big-endian bytes: a share below this is never forwarded. */
  readonly poolTarget: Buffer;
  /** Expected hashes behind one share at the pool's difficulty (for hashrates). */
  readonly poolShareHashes: number;
  /** Duplicate detection: a short key of each accepted or forwarded share's hash. */
  readonly seen = new Set<string>();
  readonly #coinb1Prefix: string;
  readonly #room: number;
  #shapes: JobShape[] = [];
  #difficultyLine: Buffer | undefined;

  /** Order of creation in this process: a miner's difficulty change applies from a job on. */
  readonly seq = nextSeq++;

  constructor(id: string, upstream: Upstream, params: NotifyParams, difficulty: number) {
    this.id = id;
    this.upstream = upstream;
    this.params = params;
    this.difficulty = difficulty;
    this.poolTarget = shareTargetBytes(upstream.listener.config.algorithm, difficulty);
    this.poolShareHashes = hashesForShare(upstream.listener.config.algorithm, difficulty);
    this.#coinb1Prefix = params.coinb1 + upstream.extranonce1;
    // Bytes of the pool's extranonce2 left for q ‖ xn2 once X (k bytes) is placed.
    this.#room = upstream.extranonce2Size - upstream.listener.config.prefixBytes;
  }

  /** The shape for miners with extranonce2_size n2; undefined when n2 does not fit this pool. */
  shapeFor(n2: number): JobShape | undefined {
    for (const shape of this.#shapes) if (shape.n2 === n2) return shape;
    if (n2 > this.#room) return undefined;
    const filler = '00'.repeat(this.#room - n2);
    const notify = { ...this.params, jobId: this.id, coinb1: this.#coinb1Prefix + filler };
    const shape: JobShape = {
      n2,
      filler,
      prepared: prepareJob(notify),
      line: Buffer.from(encodeNotify(notify)),
      cleanLine: undefined,
      lineWithDifficulty: undefined,
      cleanLineWithDifficulty: undefined,
    };
    this.#shapes.push(shape);
    return shape;
  }

  /** The bytes to send a miner: optionally set_difficulty first, and the notify, clean or as the pool sent it. */
  lineFor(shape: JobShape, clean: boolean, withDifficulty: boolean): Buffer {
    if (!clean || this.params.cleanJobs) {
      if (!withDifficulty) return shape.line;
      shape.lineWithDifficulty ??= Buffer.concat([this.difficultyLine(), shape.line]);
      return shape.lineWithDifficulty;
    }
    shape.cleanLine ??= Buffer.from(
      encodeNotify({
        ...this.params,
        jobId: this.id,
        coinb1: this.#coinb1Prefix + shape.filler,
        cleanJobs: true,
      }),
    );
    if (!withDifficulty) return shape.cleanLine;
    shape.cleanLineWithDifficulty ??= Buffer.concat([this.difficultyLine(), shape.cleanLine]);
    return shape.cleanLineWithDifficulty;
  }

  difficultyLine(): Buffer {
    this.#difficultyLine ??= Buffer.from(encodeSetDifficulty(this.difficulty));
    return this.#difficultyLine;
  }
}
