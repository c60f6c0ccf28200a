// The per-algorithm table: diff1 target (stratum.md §2.3, §7) and proof-of-work hash, keyed by algorithm name.

import { StratumError } from './errors.ts';
import { type PowHash, type PowHashOffThread, scryptPow, scryptPowOffThread, sha256d } from './pow.ts';

export interface StratumAlgorithm {
  /** The target of Stratum difficulty 1. */
  diff1: bigint;
  pow: PowHash;
  /** For hashes too slow for an event loop's turn: the same PoW on the thread pool (checkShareOffThread). */
  powOffThread?: PowHashOffThread;
}

/**
 * Adding a family (x11, …) is one entry here: its diff1 convention and its PoW function.
 * - sha256d: Bitcoin "pdiff 1" `0xffff·2^208` (miningcore's BitcoinConstants.Diff1).
 * - scrypt: the pool convention `0xffff·2^224` (cpuminer's `diff / 65536`), so D·2^16 hashes per share.
 */
export const STRATUM_ALGORITHMS = {
  sha256d: { diff1: 0xffffn << 208n, pow: sha256d },
  scrypt: { diff1: 0xffffn << 224n, pow: scryptPow, powOffThread: scryptPowOffThread },
} as const satisfies Record<string, StratumAlgorithm>;

export type StratumAlgorithmKey = keyof typeof STRATUM_ALGORITHMS;

export function isStratumAlgorithm(key: string): key is StratumAlgorithmKey {
  return Object.hasOwn(STRATUM_ALGORITHMS, key);
}

export function stratumAlgorithm(key: string): StratumAlgorithm {
  if (!isStratumAlgorithm(key)) throw new StratumError('SM_STRATUM_UNKNOWN_ALGORITHM', key);
  return STRATUM_ALGORITHMS[key];
}
