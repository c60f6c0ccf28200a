import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { sha256d } from './pow.ts';
import {
  digestWords,
  sha256d64Into,
  sha256dFoldInto,
  sha256dFromMidstateInto,
  sha256dInto,
  sha256dPairInto,
  sha256FromMidstateInto,
  sha256Into,
  sha256Midstate,
} from './sha256.ts';

const ref = (data: Uint8Array) => createHash('sha256').update(data).digest();
const refD = (data: Uint8Array) => ref(ref(data));

/** Deterministic pseudo-random bytes (xorshift32), so a failure reproduces. */
function bytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed | 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x;
  }
  return out;
}

/** `data` placed at offset 7 of a larger buffer, to check that ranges are honoured. */
function embedded(data: Buffer): Buffer {
  return Buffer.concat([Buffer.from('garbage'), data, Buffer.from('tail')]);
}

/** A 32-byte digest slot at offset 5 of a 40-byte buffer whose other bytes must stay untouched. */
function slot() {
  const out = Buffer.alloc(40, 0xee);
  return {
    out,
    digest: () => out.subarray(5, 37),
    untouched: () => out.subarray(0, 5).every((b) => b === 0xee) && out.subarray(37).every((b) => b === 0xee),
  };
}

describe('sha256', () => {
  it('FIPS 180-4 examples: "", "abc" and the 448-bit message', () => {
    const out = Buffer.alloc(32);
    const cases: [string, string][] = [
      ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
      ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
      [
        'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
        '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
      ],
    ];
    for (const [message, digest] of cases) {
      const data = Buffer.from(message, 'latin1');
      sha256Into(data, 0, data.length, out, 0);
      assert.equal(out.toString('hex'), digest, message);
    }
  });

  it('equals node:crypto for every length 0..300, within a larger buffer and to an offset', () => {
    for (let n = 0; n <= 300; n++) {
      const data = bytes(n, n + 1);
      const input = embedded(data);
      const s = slot();
      sha256Into(input, 7, 7 + n, s.out, 5);
      assert.deepEqual(s.digest(), ref(data), `sha256 of ${n} bytes`);
      assert.ok(s.untouched(), `sha256 of ${n} bytes wrote outside its slot`);
      sha256dInto(input, 7, 7 + n, s.out, 5);
      assert.deepEqual(s.digest(), refD(data), `sha256d of ${n} bytes`);
      assert.ok(s.untouched(), `sha256d of ${n} bytes wrote outside its slot`);
    }
  });

  it('equals node:crypto for long inputs', () => {
    const out = Buffer.alloc(32);
    for (const [n, seed] of [
      [1000, 3],
      [4095, 5],
      [65_537, 7],
      [200_003, 11],
    ] as const) {
      const data = bytes(n, seed);
      sha256Into(data, 0, n, out, 0);
      assert.deepEqual(out, ref(data), `sha256 of ${n} bytes`);
      sha256dInto(data, 0, n, out, 0);
      assert.deepEqual(out, refD(data), `sha256d of ${n} bytes`);
    }
  });

  it('sha256d of 64 bytes (merkle node): pair and contiguous forms, output over an input', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const left = bytes(32, seed);
      const right = bytes(32, seed + 1000);
      const expected = refD(Buffer.concat([left, right]));
      const s = slot();
      sha256dPairInto(embedded(left), 7, embedded(right), 7, s.out, 5);
      assert.deepEqual(s.digest(), expected);
      assert.ok(s.untouched());
      const node = embedded(Buffer.concat([left, right]));
      sha256d64Into(node, 7, s.out, 5);
      assert.deepEqual(s.digest(), expected);
      // The merkle fold writes each node over its left input.
      const inPlace = Buffer.from(left);
      sha256dPairInto(inPlace, 0, right, 0, inPlace, 0);
      assert.deepEqual(inPlace, expected);
      const overRight = Buffer.from(right);
      sha256dPairInto(left, 0, overRight, 0, overRight, 0);
      assert.deepEqual(overRight, expected);
    }
  });

  it('merkle fold in words equals node:crypto node by node, for 0, 1 and 7 nodes, in place', () => {
    for (const count of [0, 1, 7]) {
      const nodes = Array.from({ length: count }, (_, i) => bytes(32, 500 + i));
      const leaf = bytes(32, 99);
      let expected = Buffer.from(leaf);
      for (const node of nodes) expected = refD(Buffer.concat([expected, node]));
      const s = slot();
      sha256dFoldInto(embedded(leaf), 7, digestWords(nodes), s.out, 5);
      assert.deepEqual(s.digest(), expected, `${count} nodes`);
      assert.ok(s.untouched());
      const inPlace = Buffer.from(leaf);
      sha256dFoldInto(inPlace, 0, digestWords(nodes), inPlace, 0);
      assert.deepEqual(inPlace, expected);
    }
    assert.throws(() => digestWords([Buffer.alloc(31)]), RangeError);
  });

  it('midstate: the whole blocks of a prefix, then the rest, at several split points', () => {
    const data = bytes(300, 42);
    for (const split of [0, 1, 55, 63, 64, 65, 127, 128, 129, 191, 192, 250, 300]) {
      const mid = sha256Midstate(data, 0, split);
      assert.equal(mid.bytes, Math.floor(split / 64) * 64, `bytes at split ${split}`);
      for (const end of [split, Math.min(300, split + 1), Math.min(300, split + 70), 300]) {
        const s = slot();
        sha256FromMidstateInto(mid, data, mid.bytes, end, s.out, 5);
        assert.deepEqual(s.digest(), ref(data.subarray(0, end)), `sha256 split ${split} end ${end}`);
        sha256dFromMidstateInto(mid, data, mid.bytes, end, s.out, 5);
        assert.deepEqual(s.digest(), refD(data.subarray(0, end)), `sha256d split ${split} end ${end}`);
        assert.ok(s.untouched());
      }
    }
  });

  it('midstate of a range, the tail from another buffer; the midstate is reusable', () => {
    const prefix = bytes(150, 9);
    const mid = sha256Midstate(embedded(prefix), 7, 7 + 150);
    assert.equal(mid.bytes, 128);
    const out = Buffer.alloc(32);
    for (let t = 0; t < 3; t++) {
      const tail = bytes(20 + t * 40, 100 + t);
      const rest = Buffer.concat([prefix.subarray(128), tail]);
      sha256dFromMidstateInto(mid, rest, 0, rest.length, out, 0);
      assert.deepEqual(out, refD(Buffer.concat([prefix, tail])));
    }
  });

  it('rejects a range outside the input or an output without room', () => {
    const data = Buffer.alloc(10);
    assert.throws(() => sha256Into(data, 0, 11, Buffer.alloc(32), 0), RangeError);
    assert.throws(() => sha256Into(data, 5, 4, Buffer.alloc(32), 0), RangeError);
    assert.throws(() => sha256dInto(data, 0, 10, Buffer.alloc(32), 1), RangeError);
    assert.throws(() => sha256dPairInto(data, 0, Buffer.alloc(32), 0, Buffer.alloc(32), 0), RangeError);
  });

  it('pow.ts sha256d equals node:crypto for short (JS) and long (native) inputs', () => {
    for (const n of [0, 32, 64, 80, 128, 129, 1025, 5000]) {
      const data = bytes(n, n + 77);
      const got = sha256d(data);
      assert.equal(got.length, 32);
      assert.deepEqual(got, refD(data), `${n} bytes`);
    }
  });
});
