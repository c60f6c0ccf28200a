import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { buildHeader, coinbaseHash, merkleRoot, prepareJob, writeHeader } from './block-header.ts';

const refD = (data: Buffer) =>
  createHash('sha256').update(createHash('sha256').update(data).digest()).digest();

/** Hex of `n` bytes counting from `from`, so each coinb1 length gives a distinct coinbase. */
const hexBytes = (n: number, from: number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => (from + i * 37) & 0xff)).toString('hex');

function job(coinb1Bytes: number, branches: number) {
  return {
    prevhash: '1901125004612a1701c3a621d930d31d36b607df1fccc2160002d01c00000000',
    coinb1: hexBytes(coinb1Bytes, coinb1Bytes),
    coinb2: hexBytes(60, 3),
    merkleBranch: Array.from({ length: branches }, (_, i) => hexBytes(32, 100 + i)),
    version: '20000000',
    nbits: '1703a30c',
  };
}

describe('block header with the coinb1 midstate', () => {
  it('coinbase hash equals sha256d of the whole coinbase for coinb1 of 0..200 bytes', () => {
    for (const n of [0, 1, 42, 55, 63, 64, 65, 100, 127, 128, 129, 200]) {
      const fields = job(n, 0);
      const prepared = prepareJob(fields);
      assert.equal(prepared.coinb1Midstate.bytes, Math.floor(n / 64) * 64);
      for (const extranonce2 of ['00000000', '0badf00d', 'ffffffffffffffff']) {
        const whole = Buffer.from(`${fields.coinb1}a1b2c3d4${extranonce2}${fields.coinb2}`, 'hex');
        assert.deepEqual(coinbaseHash(prepared, 'a1b2c3d4', extranonce2), refD(whole), `coinb1 ${n} bytes`);
      }
    }
  });

  it('merkle root folds the branch on the left, as node:crypto does; no branch is the coinbase', () => {
    for (const branches of [0, 1, 4, 12]) {
      const prepared = prepareJob(job(80, branches));
      const cb = coinbaseHash(prepared, '01020304', '00000001');
      let expected = Buffer.from(cb);
      for (const node of prepared.branch) expected = refD(Buffer.concat([expected, node]));
      const root = merkleRoot(cb, prepared.branch);
      assert.deepEqual(root, expected, `${branches} branches`);
      assert.notEqual(root, cb, 'a fresh buffer, never the input');
    }
  });

  it('buildHeader equals writeHeader over coinbaseHash and merkleRoot', () => {
    const prepared = prepareJob(job(90, 4));
    const share = { extranonce2: '0000002a', ntime: 0x6752b1c0, nonce: 0x12345678, version: 0x20000000 };
    const merkle = merkleRoot(coinbaseHash(prepared, 'deadbeef', share.extranonce2), prepared.branch);
    const expected = writeHeader(prepared, merkle, share, Buffer.alloc(80));
    assert.deepEqual(buildHeader(prepared, 'deadbeef', share, Buffer.alloc(80)), expected);
  });
});
