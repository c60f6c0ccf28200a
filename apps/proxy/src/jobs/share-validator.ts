// Judges a miner's share locally, in the order a pool does, before anything goes upstream (stratum.md §2.2):
// job known and still open (21), extranonce2 size (20), version bits within the mask (20), the hash against the
// miner's target (23), duplicate (22); then forward when it meets the pool's target, else accept locally.
// Where the hash is slow (scrypt), it is computed on the thread pool and the judgement ends when it is back.

import {
  checkShare,
  checkShareOffThread,
  hashMeetsTarget,
  type ShareCheck,
  type ShareToCheck,
  type SubmitParams,
  versionBitsAllowed,
  type WireErrorName,
} from '@smart-mining/stratum';
import type { MinerSession } from '../downstream/miner-session.ts';
import { hashesForShare, shareTargetBytes } from './difficulty-cache.ts';
import type { JobShape, UpstreamJob } from './upstream-job.ts';

export type ShareVerdict =
  | { kind: 'reject'; name: WireErrorName; message: string | undefined; stale: boolean }
  /** Meets the miner's `d=` target but not the pool's: accepted here, never forwarded. */
  | { kind: 'local'; job: UpstreamJob; hashes: number }
  | { kind: 'forward'; job: UpstreamJob; shape: JobShape; difficulty: number; hashes: number };

const stale = (message?: string): ShareVerdict => ({
  kind: 'reject',
  name: 'jobNotFound',
  message,
  stale: true,
});
const reject = (name: WireErrorName, message?: string): ShareVerdict => ({
  kind: 'reject',
  name,
  message,
  stale: false,
});

/**
 * A job is the miner's when it came from an upstream of the miner's lane and account: job ids are proxy-wide,
 * and a share for another lane's job would be built on another miner's extranonce space.
 */
function ownJob(s: MinerSession, job: UpstreamJob | undefined): job is UpstreamJob {
  return job !== undefined && job.upstream.lane === s.lane && job.upstream.account.name === s.account?.name;
}

/** A share that passed every check before the hash, with what its hash is judged against. */
interface ShareToHash {
  kind: 'hash';
  job: UpstreamJob;
  shape: JobShape;
  /** The miner's own `d=` difficulty is in force (else the pool's). */
  own: boolean;
  difficulty: number;
  toCheck: ShareToCheck;
}

function beforeHash(
  s: MinerSession,
  job: UpstreamJob | undefined,
  p: SubmitParams,
): ShareVerdict | ShareToHash {
  if (!ownJob(s, job) || !job.upstream.open) return stale();
  // A share found before the miner's last set_extranonce carries the old size; its job still has that shape
  // (§8.3: it goes to the pool that issued the job). Only these two sizes are the miner's; 0 is "no previous
  // size", never one (an empty extranonce2 would pass for it).
  const n2 = p.extranonce2.length / 2;
  if (n2 !== s.extranonce2Size && (n2 === 0 || n2 !== s.previousExtranonce2Size)) {
    return reject('other', `Invalid extranonce2 size (expected ${s.extranonce2Size} bytes)`);
  }
  const shape = job.shapeFor(n2);
  if (shape === undefined) {
    // The job's pool never fitted this size: a job from before the change is gone, or the size is wrong.
    return n2 === s.extranonce2Size
      ? stale()
      : reject('other', `Invalid extranonce2 size (expected ${s.extranonce2Size} bytes)`);
  }
  // BIP 310: only bits of the mask in force for this job's pool (the miner's ∩ the pool's).
  const mask = (s.requestedMask & job.upstream.versionMask) >>> 0;
  if (p.versionBits !== undefined && !versionBitsAllowed(p.versionBits, mask)) {
    return reject('other', 'Version bits outside the negotiated mask');
  }
  const algorithm = s.listener.config.algorithm;
  // The miner's own difficulty as it was when this job was sent, never above the pool's (see sendJob).
  const ownAtJob =
    job.seq >= s.fixedFromJobSeq || job.seq === s.fixedOlderJobSeq
      ? s.fixedDifficulty
      : s.previousFixedDifficulty;
  const own = ownAtJob !== 0;
  const difficulty = own ? Math.min(ownAtJob, job.difficulty) : job.difficulty;
  const toCheck: ShareToCheck = {
    algorithm,
    job: shape.prepared,
    extranonce1: s.extranonce1,
    extranonce2: p.extranonce2,
    ntime: p.ntime,
    nonce: p.nonce,
    versionBits: p.versionBits,
    versionMask: mask,
    shareTarget: own ? shareTargetBytes(algorithm, difficulty) : job.poolTarget,
  };
  return { kind: 'hash', job, shape, own, difficulty, toCheck };
}

function afterHash(h: ShareToHash, check: ShareCheck): ShareVerdict {
  const { job, own, difficulty } = h;
  if (!check.meetsShareTarget) return reject('lowDifficulty');
  // The hash covers X, extranonce2, ntime, nonce and version: equal keys mean the same share of this job.
  const key = check.hash.toString('latin1', 0, 12);
  if (job.seen.has(key)) return reject('duplicateShare');
  job.seen.add(key);
  const hashes = own ? hashesForShare(h.toCheck.algorithm, difficulty) : job.poolShareHashes;
  if (difficulty < job.difficulty && !hashMeetsTarget(check.hash, job.poolTarget)) {
    return { kind: 'local', job, hashes };
  }
  return { kind: 'forward', job, shape: h.shape, difficulty, hashes };
}

export function judgeShare(s: MinerSession, job: UpstreamJob | undefined, p: SubmitParams): ShareVerdict {
  const h = beforeHash(s, job, p);
  return h.kind === 'hash' ? afterHash(h, checkShare(h.toCheck)) : h;
}

/**
 * judgeShare with the hash on the thread pool where the algorithm's is slow (checkShareOffThread); `done` gets the
 * verdict then, or at once when a check before the hash decides. Meanwhile the job may have been dropped or its
 * pool connection closed: the share is then stale, as it would be if it arrived now.
 */
export function judgeShareOffThread(
  s: MinerSession,
  job: UpstreamJob | undefined,
  p: SubmitParams,
  done: (verdict: ShareVerdict) => void,
): void {
  const h = beforeHash(s, job, p);
  if (h.kind !== 'hash') {
    done(h);
    return;
  }
  checkShareOffThread(h.toCheck, (check) => {
    // A session keeps its X for life: only the job and its pool connection can have gone meanwhile.
    const unchanged = s.ctx.jobs.get(p.jobId) === h.job && h.job.upstream.open;
    done(unchanged ? afterHash(h, check) : stale());
  });
}
