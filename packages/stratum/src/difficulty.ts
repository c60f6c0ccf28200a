// Difficulty ↔ target ↔ hashes per share, exact in bigint (stratum.md §2.3, §7), and compact nbits targets.

import { stratumAlgorithm } from './algorithms.ts';
import { StratumError } from './errors.ts';

export const TWO_256 = 1n << 256n;
export const MAX_TARGET = TWO_256 - 1n;

/** A finite double as m·2^e with an integer m, so divisions by it stay exact. */
function exactRational(x: number): { m: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  return biased === 0 ? { m: fraction, e: -1074 } : { m: fraction | (1n << 52n), e: biased - 1075 };
}

function checkDifficulty(difficulty: number): void {
  if (!Number.isFinite(difficulty) || difficulty <= 0) {
    throw new StratumError('SM_STRATUM_BAD_DIFFICULTY', `difficulty ${difficulty}`);
  }
}

/**
 * `floor(diff1 / difficulty)`, exact for the double given, clamped to 2^256 − 1 (a difficulty so low that
 * every hash is a share). sha256d D=1024 → `00000000003fffc0…`.
 */
export function targetFromDifficulty(algorithm: string, difficulty: number): bigint {
  checkDifficulty(difficulty);
  const { diff1 } = stratumAlgorithm(algorithm);
  const { m, e } = exactRational(difficulty);
  const target = e < 0 ? (diff1 << BigInt(-e)) / m : diff1 / (m << BigInt(e));
  return target > MAX_TARGET ? MAX_TARGET : target;
}

function checkTarget(target: bigint): void {
  if (target <= 0n || target >= TWO_256)
    throw new StratumError('SM_STRATUM_BAD_DIFFICULTY', `target ${target}`);
}

/** `a / b` as the nearest double, for bigints of any size. */
export function bigRatio(a: bigint, b: bigint): number {
  const shift = Math.max(0, 64 - (a.toString(2).length - b.toString(2).length));
  return Number((a << BigInt(shift)) / b) / 2 ** shift;
}

/** `diff1 / target`: the Stratum difficulty a target stands for (also a hash's share difficulty). */
export function difficultyFromTarget(algorithm: string, target: bigint): number {
  checkTarget(target);
  return bigRatio(stratumAlgorithm(algorithm).diff1, target);
}

/** Expected hashes per share, `2^256 / target` (stratum.md §7): sha256d ≈ D·2^32, scrypt ≈ D·2^16. */
export function hashesPerShare(algorithm: string, difficulty: number): number {
  return bigRatio(TWO_256, targetFromDifficulty(algorithm, difficulty));
}

/** The block target encoded by compact `nbits` (mantissa·256^(exponent−3)); 0 for a negative encoding. */
export function targetFromBits(nbits: number): bigint {
  const exponent = nbits >>> 24;
  const mantissa = BigInt(nbits & 0x007fffff);
  if (nbits & 0x00800000) return 0n;
  return exponent <= 3 ? mantissa >> BigInt(8 * (3 - exponent)) : mantissa << BigInt(8 * (exponent - 3));
}

/** A target as 32 big-endian bytes: the form share checks compare against without bigint work per share. */
export function targetToBytes(target: bigint): Buffer {
  const clamped = target > MAX_TARGET ? MAX_TARGET : target < 0n ? 0n : target;
  return Buffer.from(clamped.toString(16).padStart(64, '0'), 'hex');
}

export function targetFromBytes(bytes: Buffer): bigint {
  return BigInt(`0x${bytes.toString('hex')}`);
}
