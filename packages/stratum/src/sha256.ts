// SHA-256 (FIPS 180-4) in plain JS, for the many tiny hashes of a share check (coinbase, merkle nodes, header).
//
// node:crypto costs 1–2 µs per call in call overhead and a Buffer per digest, while one compression here is a
// fraction of that, so short messages are cheaper in JS. Nothing is allocated per call: the running state,
// the message words and the padding block are module-level typed arrays (synchronous code, one thread), and
// digests are written into a caller's buffer. The compression itself is sha256-rounds.ts (generated, unrolled).
//
// Specialised paths for sha256d: a 64-byte message (a merkle node, left ‖ right) whose second block is the
// constant padding, its schedule folded into constants; and the outer hash of a 32-byte digest, whose single
// block is taken straight from the inner state words. A midstate (the state after the whole 64-byte blocks
// of a prefix) lets a job hash its coinbase prefix once and each share only the tail.

import { compress, compressDigest, compressPadding64 } from './sha256-rounds.ts';

/** Initial hash value: the first 32 bits of the fractional parts of the square roots of the first 8 primes. */
const IV = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/** The running state of the hash in progress. */
const H = new Int32Array(8);
/** The 16 message words of the block in progress. */
const W = new Int32Array(16);
/** The last one or two blocks of a message: its tail bytes, the 0x80 marker, zeros and the bit length. */
const TAIL = new Uint8Array(128);

/** State after the whole 64-byte blocks of a message prefix; `bytes` is a multiple of 64. */
export interface Sha256Midstate {
  readonly state: Int32Array;
  readonly bytes: number;
}

/** Loads `count` big-endian words from `d[p…]` into `w[at…]`. */
function load(d: Uint8Array, p: number, w: Int32Array, at: number, count: number): void {
  for (let i = at; i < at + count; i++, p += 4) {
    w[i] = (d[p]! << 24) | (d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!;
  }
}

/** Compresses the 64-byte block at `d[p]` into `h`. */
function compressBlock(h: Int32Array, d: Uint8Array, p: number): void {
  load(d, p, W, 0, 16);
  compress(h, W);
}

/**
 * Absorbs `data[start, end)` into `h` and finishes the hash: whole blocks straight from `data`, the rest
 * with its padding from TAIL. `prefixBytes` counts what `h` has absorbed already (a midstate).
 */
function finish(h: Int32Array, data: Uint8Array, start: number, end: number, prefixBytes: number): void {
  let p = start;
  for (; p + 64 <= end; p += 64) compressBlock(h, data, p);
  const rest = end - p;
  for (let i = 0; i < rest; i++) TAIL[i] = data[p + i]!;
  TAIL[rest] = 0x80;
  const size = rest < 56 ? 64 : 128;
  TAIL.fill(0, rest + 1, size - 8);
  const bytes = prefixBytes + end - start;
  const hi = Math.floor(bytes / 0x20000000); // the bit length's high word: bytes · 8 / 2^32
  const lo = (bytes * 8) >>> 0;
  writeWord(TAIL, size - 8, hi);
  writeWord(TAIL, size - 4, lo);
  compressBlock(h, TAIL, 0);
  if (size === 128) compressBlock(h, TAIL, 64);
}

function writeWord(out: Uint8Array, at: number, v: number): void {
  out[at] = v >>> 24;
  out[at + 1] = v >>> 16;
  out[at + 2] = v >>> 8;
  out[at + 3] = v;
}

function writeDigest(h: Int32Array, out: Uint8Array, at: number): void {
  for (let i = 0; i < 8; i++) writeWord(out, at + 4 * i, h[i]!);
}

function checkRange(data: Uint8Array, start: number, end: number): void {
  if (!(start >= 0 && start <= end && end <= data.length)) {
    throw new RangeError(`sha256: range [${start}, ${end}) outside ${data.length} bytes`);
  }
}

function checkOut(out: Uint8Array, outOffset: number): void {
  if (!(outOffset >= 0 && outOffset + 32 <= out.length)) {
    throw new RangeError(`sha256: no room for 32 bytes at ${outOffset} of ${out.length}`);
  }
}

/**
 * sha256 (or sha256d when `double`) of a message whose first `prefixBytes` bytes left the state `from`, and
 * whose rest is `data[start, end)`; written to `out[outOffset…+32]`.
 */
function digestInto(
  from: Int32Array,
  prefixBytes: number,
  data: Uint8Array,
  start: number,
  end: number,
  double: boolean,
  out: Uint8Array,
  outOffset: number,
): void {
  checkRange(data, start, end);
  checkOut(out, outOffset);
  H.set(from);
  finish(H, data, start, end, prefixBytes);
  if (double) compressDigest(H);
  writeDigest(H, out, outOffset);
}

/** sha256(data[start, end)) written to `out[outOffset…+32]`. */
export function sha256Into(
  data: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  outOffset: number,
): void {
  digestInto(IV, 0, data, start, end, false, out, outOffset);
}

/** sha256(sha256(data[start, end))) written to `out[outOffset…+32]` (`out` may overlap the input). */
export function sha256dInto(
  data: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  outOffset: number,
): void {
  digestInto(IV, 0, data, start, end, true, out, outOffset);
}

/**
 * sha256d(left[leftOffset…+32] ‖ right[rightOffset…+32]), a merkle node, written to `out[outOffset…+32]`;
 * `out` may be either input (both are read before it is written).
 */
export function sha256dPairInto(
  left: Uint8Array,
  leftOffset: number,
  right: Uint8Array,
  rightOffset: number,
  out: Uint8Array,
  outOffset: number,
): void {
  checkRange(left, leftOffset, leftOffset + 32);
  checkRange(right, rightOffset, rightOffset + 32);
  checkOut(out, outOffset);
  load(left, leftOffset, W, 0, 8);
  load(right, rightOffset, W, 8, 8);
  H.set(IV);
  compress(H, W);
  compressPadding64(H);
  compressDigest(H);
  writeDigest(H, out, outOffset);
}

/** The big-endian words of 32-byte digests, 8 per digest: a merkle branch decoded once for `sha256dFoldInto`. */
export function digestWords(digests: readonly Uint8Array[]): Int32Array {
  const words = new Int32Array(digests.length * 8);
  for (let i = 0; i < digests.length; i++) {
    const d = digests[i]!;
    checkRange(d, 0, 32);
    load(d, 0, words, i * 8, 8);
  }
  return words;
}

/**
 * A merkle fold with the leaf on the left at every level: root = sha256d(root ‖ node) for each node of
 * `nodeWords` (`digestWords`), from the 32 bytes at `leaf[leafOffset]`; the root is written to
 * `out[outOffset…+32]` (which may be the leaf). The root stays in words from one node to the next.
 */
export function sha256dFoldInto(
  leaf: Uint8Array,
  leafOffset: number,
  nodeWords: Int32Array,
  out: Uint8Array,
  outOffset: number,
): void {
  checkRange(leaf, leafOffset, leafOffset + 32);
  checkOut(out, outOffset);
  load(leaf, leafOffset, H, 0, 8);
  for (let n = 0; n < nodeWords.length; n += 8) {
    for (let i = 0; i < 8; i++) {
      W[i] = H[i]!;
      W[i + 8] = nodeWords[n + i]!;
    }
    H.set(IV);
    compress(H, W);
    compressPadding64(H);
    compressDigest(H);
  }
  writeDigest(H, out, outOffset);
}

/** sha256d of exactly 64 bytes at `data[start…]` (a merkle node laid out in one buffer). */
export function sha256d64Into(data: Uint8Array, start: number, out: Uint8Array, outOffset: number): void {
  sha256dPairInto(data, start, data, start + 32, out, outOffset);
}

/** The state after the whole 64-byte blocks of `data[start, end)`; hash the rest with `…FromMidstateInto`. */
export function sha256Midstate(data: Uint8Array, start = 0, end = data.length): Sha256Midstate {
  checkRange(data, start, end);
  const state = Int32Array.from(IV);
  let p = start;
  for (; p + 64 <= end; p += 64) compressBlock(state, data, p);
  return { state, bytes: p - start };
}

/** sha256(prefix ‖ tail[start, end)) where `mid` is the prefix's midstate (prefix: `mid.bytes` bytes). */
export function sha256FromMidstateInto(
  mid: Sha256Midstate,
  tail: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  outOffset: number,
): void {
  digestInto(mid.state, mid.bytes, tail, start, end, false, out, outOffset);
}

/** sha256d(prefix ‖ tail[start, end)) where `mid` is the prefix's midstate (prefix: `mid.bytes` bytes). */
export function sha256dFromMidstateInto(
  mid: Sha256Midstate,
  tail: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  outOffset: number,
): void {
  digestInto(mid.state, mid.bytes, tail, start, end, true, out, outOffset);
}
