import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bigRatio,
  difficultyFromTarget,
  hashesPerShare,
  MAX_TARGET,
  targetFromBits,
  targetFromBytes,
  targetFromDifficulty,
  targetToBytes,
} from './difficulty.ts';

const hex64 = (t: bigint) => t.toString(16).padStart(64, '0');

describe('difficulty ↔ target (stratum.md §2.3, §7)', () => {
  it('diff1 targets: sha256d 0xffff·2^208, scrypt 0xffff·2^224', () => {
    assert.equal(hex64(targetFromDifficulty('sha256d', 1)), `00000000ffff${'0'.repeat(52)}`);
    assert.equal(hex64(targetFromDifficulty('scrypt', 1)), `0000ffff${'0'.repeat(56)}`);
  });

  it('sha256d D=1024 is the §2.3 example target', () => {
    assert.equal(hex64(targetFromDifficulty('sha256d', 1024)), `00000000003fffc${'0'.repeat(49)}`);
  });

  it('is exact for fractional difficulties (floor of diff1 / D for the double given)', () => {
    const diff1 = 0xffffn << 208n;
    assert.equal(targetFromDifficulty('sha256d', 0.5), diff1 * 2n);
    assert.equal(targetFromDifficulty('sha256d', 1.5), (diff1 * 2n) / 3n);
    // 0.1 is 3602879701896397·2^-55 as a double.
    assert.equal(targetFromDifficulty('sha256d', 0.1), (diff1 << 55n) / 3602879701896397n);
    assert.equal(targetFromDifficulty('scrypt', 3), (0xffffn << 224n) / 3n);
  });

  it('clamps a difficulty so low that every hash is a share to 2^256 − 1', () => {
    assert.equal(targetFromDifficulty('sha256d', 2 ** -40), MAX_TARGET);
    assert.equal(targetFromDifficulty('sha256d', Number.MIN_VALUE), MAX_TARGET);
  });

  it('rejects non-positive or non-finite difficulties and unknown algorithms', () => {
    for (const d of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => targetFromDifficulty('sha256d', d), { code: 'SM_STRATUM_BAD_DIFFICULTY' });
    }
    assert.throws(() => targetFromDifficulty('x11', 1), { code: 'SM_STRATUM_UNKNOWN_ALGORITHM' });
    assert.throws(() => difficultyFromTarget('sha256d', 0n), { code: 'SM_STRATUM_BAD_DIFFICULTY' });
  });

  it('target → difficulty inverts difficulty → target', () => {
    for (const d of [1, 1024, 65536, 0.001, 123456.789, 2 ** -12]) {
      for (const algo of ['sha256d', 'scrypt']) {
        const back = difficultyFromTarget(algo, targetFromDifficulty(algo, d));
        assert.ok(Math.abs(back - d) / d < 1e-12, `${algo} ${d} → ${back}`);
      }
    }
  });

  it('hashes per share: sha256d D·2^32·65536/65535, scrypt D·2^32/65535 ≈ D·2^16', () => {
    const rel = (a: number, b: number) => Math.abs(a - b) / b;
    assert.ok(rel(hashesPerShare('sha256d', 1), 2 ** 32 * (65536 / 65535)) < 1e-12);
    assert.ok(rel(hashesPerShare('sha256d', 1024), 1024 * 2 ** 32 * (65536 / 65535)) < 1e-12);
    assert.ok(rel(hashesPerShare('scrypt', 1), 2 ** 32 / 65535) < 1e-12);
    assert.ok(rel(hashesPerShare('scrypt', 1), 2 ** 16) < 1e-4);
  });

  it('compact nbits → block target', () => {
    assert.equal(hex64(targetFromBits(0x1d00ffff)), `00000000ffff${'0'.repeat(52)}`);
    assert.equal(hex64(targetFromBits(0x1b04864c)), `000000000004864c${'0'.repeat(48)}`);
    assert.equal(targetFromBits(0x03123456), 0x123456n);
    assert.equal(targetFromBits(0x02123456), 0x1234n);
    assert.equal(targetFromBits(0x04923456), 0n);
  });

  it('targets round-trip through 32 big-endian bytes', () => {
    const t = targetFromDifficulty('scrypt', 7.25);
    assert.equal(targetToBytes(t).length, 32);
    assert.equal(targetFromBytes(targetToBytes(t)), t);
  });

  it('bigRatio is the nearest double of large quotients', () => {
    assert.equal(bigRatio(1n << 300n, 3n), 2 ** 300 / 3);
    assert.equal(bigRatio(10n, 4n), 2.5);
  });
});
