// Extranonce arithmetic for a proxy (stratum.md §2.4): nonce-splitting prefixes and the constant-E1' fold.
//
// The pool builds its coinbase as  coinb1 ‖ extranonce1 ‖ extranonce2 ‖ coinb2  and only concatenates,
// so the proxy may move bytes between those fields as long as the bytes, in order, stay the same.
//
// (a) Nonce splitting (xmrig-proxy's NonceSplitter idea): the upstream's extranonce2 space is cut into a
//     per-miner prefix p_i of k bytes and the miner's own extranonce2. Up to 2^(8k) miners per upstream.
//
//     bytes         | coinb1_up | E1_up  (e1) | p_i (k)  | xn2 (n2_up − k) | coinb2_up |
//     pool sends    | coinb1    | extranonce1 | extranonce2 (n2_up)         | coinb2    |
//     miner gets    | coinb1    | E1' = E1_up ‖ p_i      | n2' = n2_up − k | coinb2    |
//     submit ↑      | extranonce2_up = p_i ‖ xn2_miner                                   |
//
//     E1' contains E1_up, so a new pool means a new E1': mining.set_extranonce or a reconnect.
//
// (b) Constant E1' (the fold): E1_up moves into coinb1, a filler q pads, X is the miner's fixed
//     extranonce1. E1' and n2' never change across pools; only coinb1' does (it rides in every notify).
//
//     bytes         | coinb1_up | E1_up (e1) | q (n2_up − k − n2') | X (k) | xn2 (n2') | coinb2_up |
//     pool sends    | coinb1    | extranonce1| extranonce2 (n2_up)                      | coinb2    |
//     miner gets    | coinb1' = coinb1_up ‖ E1_up ‖ q             | E1'=X | n2'       | coinb2    |
//     submit ↑      | extranonce2_up = q ‖ X ‖ xn2_miner                                             |
//
//     It fits only when n2_up ≥ k + n2' (|q| ≥ 0): the pool's scriptSig length is fixed by its coinbase,
//     so |q| + |X| + n2' must equal n2_up exactly. When it does not fit: set_extranonce or reconnect (§8).

import { StratumError } from './errors.ts';

export interface UpstreamExtranonce {
  /** Normalised hex from the pool's subscribe result or set_extranonce. */
  extranonce1: string;
  extranonce2Size: number;
}

/** k bytes of big-endian hex for a slot index (`extranonceHex(5, 2)` → `0005`). */
export function extranonceHex(index: number, bytes: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= 2 ** (8 * bytes)) {
    throw new StratumError('SM_STRATUM_LAYOUT_DOES_NOT_FIT', `index ${index} does not fit in ${bytes} bytes`);
  }
  return index.toString(16).padStart(bytes * 2, '0');
}

export interface SplitLayout {
  prefixBytes: number;
  /** n2' = n2_up − k, the extranonce2_size the miner is given. */
  minerExtranonce2Size: number;
  /** Miners one upstream connection can carry: 2^(8k). */
  capacity: number;
}

/** Nonce splitting with k prefix bytes; throws SM_STRATUM_LAYOUT_DOES_NOT_FIT when n2' would be < 1. */
export function splitLayout(upstream: UpstreamExtranonce, prefixBytes: number): SplitLayout {
  const minerExtranonce2Size = upstream.extranonce2Size - prefixBytes;
  if (!Number.isInteger(prefixBytes) || prefixBytes < 1 || minerExtranonce2Size < 1) {
    throw new StratumError(
      'SM_STRATUM_LAYOUT_DOES_NOT_FIT',
      `${prefixBytes} prefix bytes in an extranonce2 of ${upstream.extranonce2Size}`,
    );
  }
  return { prefixBytes, minerExtranonce2Size, capacity: 2 ** (8 * prefixBytes) };
}

/** E1' = E1_up ‖ p_i. */
export function splitMinerExtranonce1(upstream: UpstreamExtranonce, prefix: string): string {
  return upstream.extranonce1 + prefix;
}

/** extranonce2_up = p_i ‖ xn2_miner. */
export function splitUpstreamExtranonce2(prefix: string, minerExtranonce2: string): string {
  return prefix + minerExtranonce2;
}

export interface FoldRequest {
  /** k = |X|, the miner's fixed extranonce1 size. */
  minerExtranonce1Bytes: number;
  /** n2', the miner's fixed extranonce2_size. */
  minerExtranonce2Size: number;
}

export type FoldLayout =
  | {
      fits: true;
      /** E1_up ‖ q: appended to every coinb1 of this upstream. */
      coinb1Suffix: string;
      /** q, the filler that heads every upstream extranonce2 (zeros). */
      filler: string;
      minerExtranonce1Bytes: number;
      minerExtranonce2Size: number;
    }
  | { fits: false; missingBytes: number };

/** Plans the fold onto an upstream; `fits: false` says how many extranonce2 bytes the pool lacks. */
export function foldLayout(upstream: UpstreamExtranonce, miner: FoldRequest): FoldLayout {
  const fillerBytes = upstream.extranonce2Size - miner.minerExtranonce1Bytes - miner.minerExtranonce2Size;
  if (fillerBytes < 0) return { fits: false, missingBytes: -fillerBytes };
  const filler = '00'.repeat(fillerBytes);
  return {
    fits: true,
    coinb1Suffix: upstream.extranonce1 + filler,
    filler,
    minerExtranonce1Bytes: miner.minerExtranonce1Bytes,
    minerExtranonce2Size: miner.minerExtranonce2Size,
  };
}

/** coinb1' = coinb1_up ‖ E1_up ‖ q. */
export function foldCoinb1(layout: FoldLayout & { fits: true }, upstreamCoinb1: string): string {
  return upstreamCoinb1 + layout.coinb1Suffix;
}

/** extranonce2_up = q ‖ X ‖ xn2_miner. */
export function foldUpstreamExtranonce2(
  layout: FoldLayout & { fits: true },
  minerExtranonce1: string,
  minerExtranonce2: string,
): string {
  return layout.filler + minerExtranonce1 + minerExtranonce2;
}
