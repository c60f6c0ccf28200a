// Proof-of-work hash functions over an 80-byte header (node:crypto), each returning the 32-byte hash.

import { hash as oneShotHash, scryptSync } from 'node:crypto';

/** Hashes a block header; the result is in internal byte order (read as a little-endian 256-bit integer). */
export type PowHash = (header: Buffer) => Buffer;

/** SHA-256 applied twice (Bitcoin's txid, merkle node and block hash). */
export function sha256d(data: Buffer): Buffer {
  return oneShotHash('sha256', oneShotHash('sha256', data, 'buffer'), 'buffer');
}

/** Litecoin's scrypt PoW: N=1024, r=1, p=1, 32 bytes, the header as both password and salt. */
export function scryptPow(header: Buffer): Buffer {
  return scryptSync(header, header, 32, SCRYPT_PARAMS);
}

const SCRYPT_PARAMS = { N: 1024, r: 1, p: 1 } as const;
