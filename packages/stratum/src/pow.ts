// Proof-of-work hash functions over an 80-byte header, each returning the 32-byte hash.

import { hash as oneShotHash, scrypt, scryptSync } from 'node:crypto';
import { sha256dInto } from './sha256.ts';

/** Hashes a block header; the result is in internal byte order (read as a little-endian 256-bit integer). */
export type PowHash = (header: Buffer) => Buffer;

/** The same hash computed off the event loop (libuv's thread pool); the header is read before this returns. */
export type PowHashOffThread = (header: Buffer, done: (error: Error | null, hash: Buffer) => void) => void;

/**
 * SHA-256 applied twice (Bitcoin's txid, merkle node and block hash). Short inputs (a header) hash in JS,
 * cheaper than node:crypto's per-call overhead; long ones go native, where SHA-NI outruns the JS loop.
 */
export function sha256d(data: Buffer): Buffer {
  if (data.length > SHA256D_JS_MAX_BYTES) {
    return oneShotHash('sha256', oneShotHash('sha256', data, 'buffer'), 'buffer');
  }
  const out = Buffer.allocUnsafe(32);
  sha256dInto(data, 0, data.length, out, 0);
  return out;
}

/** Up to here JS wins (a header, a merkle node); past ~200 bytes native SHA-NI wins despite its call cost. */
const SHA256D_JS_MAX_BYTES = 128;

/** Litecoin's scrypt PoW: N=1024, r=1, p=1, 32 bytes, the header as both password and salt. */
export function scryptPow(header: Buffer): Buffer {
  return scryptSync(header, header, 32, SCRYPT_PARAMS);
}

/**
 * scryptPow on the thread pool: a few hundred µs of CPU per header, which a proxy checking a thousand shares a
 * second cannot spend on its event loop without delaying every other miner's lines.
 */
export function scryptPowOffThread(header: Buffer, done: (error: Error | null, hash: Buffer) => void): void {
  scrypt(header, header, 32, SCRYPT_PARAMS, done);
}

const SCRYPT_PARAMS = { N: 1024, r: 1, p: 1 } as const;
