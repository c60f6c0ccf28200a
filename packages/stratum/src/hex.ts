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

/**
 * A uint32 written as hex digits without its leading zeros (NerdMiner writes its nonce with Arduino's
 * `String(nonce, HEX)`: `a3` for 0x000000a3), normalised to the 8 digits everyone else sends. 1 to 8 digits,
 * an optional `0x`; anything else is not a uint32.
 */
export function normalizeUint32Hex(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new StratumError('SM_STRATUM_BAD_HEX', `${field} is not a string`);
  const hex = /^0[xX]/.test(value) ? value.slice(2) : value;
  if (!/^[0-9a-fA-F]{1,8}$/.test(hex)) {
    throw new StratumError(
      'SM_STRATUM_BAD_HEX',
      `${field} is not a 4-byte hex value: ${JSON.stringify(value.slice(0, 80))}`,
    );
  }
  return hex.toLowerCase().padStart(8, '0');
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
