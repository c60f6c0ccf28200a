// Hex fields as Stratum sends them: validation, normalisation (lowercase, no 0x) and uint32 conversion.

import { StratumError } from './errors.ts';

const HEX = /^[0-9a-fA-F]*$/;

/**
 * A hex string normalised to lowercase without `0x` (stratum.md conventions: accept both cases and an
 * optional `0x` on input). `bytes` checks the exact length; `undefined` accepts any whole number of bytes.
 */
export function normalizeHex(value: unknown, field: string, bytes?: number): string {
  if (typeof value !== 'string') throw new StratumError('SM_STRATUM_BAD_HEX', `${field} is not a string`);
  let hex = value;
  if (hex.length >= 2 && hex.charCodeAt(0) === 0x30 && (hex.charCodeAt(1) | 0x20) === 0x78)
    hex = hex.slice(2);
  if (!HEX.test(hex) || hex.length % 2 !== 0) {
    throw new StratumError(
      'SM_STRATUM_BAD_HEX',
      `${field} is not hex: ${JSON.stringify(value.slice(0, 80))}`,
    );
  }
  if (bytes !== undefined && hex.length !== bytes * 2) {
    throw new StratumError('SM_STRATUM_BAD_HEX', `${field} has ${hex.length / 2} bytes, expected ${bytes}`);
  }
  return hex.toLowerCase();
}

/** Big-endian hex of a uint32 (`20000000`), as notify and submit carry version, nbits, ntime and nonce. */
export function uint32FromHex(hex: string): number {
  return Number.parseInt(hex, 16) >>> 0;
}

export function uint32ToHex(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

/** Byte length of a normalised hex string. */
export function hexBytes(hex: string): number {
  return hex.length >>> 1;
}
