// Share targets and expected hashes per difficulty, computed once per (algorithm, difficulty): bigint math is
// too slow for every share, and pools use few distinct difficulties.

import { hashesPerShare, targetFromDifficulty, targetToBytes } from '@smart-mining/stratum';

const MAX_ENTRIES = 4096;
const targets = new Map<string, Buffer>();
const hashes = new Map<string, number>();

function remember<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(key, value);
  }
  return value;
}

/** The 32 big-endian bytes of the share target for `difficulty` (stratum.md §2.3). */
export function shareTargetBytes(algorithm: string, difficulty: number): Buffer {
  return remember(targets, `${algorithm}:${difficulty}`, () =>
    targetToBytes(targetFromDifficulty(algorithm, difficulty)),
  );
}

/** Expected hashes behind one accepted share of `difficulty` (stratum.md §7: 2^256 / target). */
export function hashesForShare(algorithm: string, difficulty: number): number {
  return remember(hashes, `${algorithm}:${difficulty}`, () => hashesPerShare(algorithm, difficulty));
}
