import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prepareJob } from './block-header.ts';
import { targetFromDifficulty, targetToBytes } from './difficulty.ts';
import {
  extranonceHex,
  foldCoinb1,
  foldLayout,
  foldUpstreamExtranonce2,
  splitLayout,
  splitMinerExtranonce1,
  splitUpstreamExtranonce2,
} from './extranonce-layout.ts';
import { uint32ToHex } from './hex.ts';
import { checkShare } from './share-check.ts';

/** A pool job whose coinbase scriptSig length (0x11 = 3 + 4 + 8 + 2) covers E1 (4) and extranonce2 (8). */
const POOL = { extranonce1: 'a1b2c3d4', extranonce2Size: 8 };
const POOL_JOB = {
  prevhash: '1901125004612a1701c3a621d930d31d36b607df1fccc2160002d01c00000000',
  coinb1: '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff1103a08601',
  coinb2: '2f53ffffffff0100f2052a01000000016a00000000',
  merkleBranch: ['c40297f730dd7b5a99567eb8d27b78758f607507c52292d02d4031895b52f2ff'],
  version: '20000000',
  nbits: '1b04864c',
};
const NTIME = '4d1b2237';
const LOW = targetToBytes(targetFromDifficulty('sha256d', 2 ** -26)); // ~64 hashes per share

/** The miner's side: search nonces for a share on the job it was given, with its own extranonce1. */
function mine(job: typeof POOL_JOB, extranonce1: string, extranonce2: string) {
  const prepared = prepareJob(job);
  for (let nonce = 0; nonce < 100_000; nonce++) {
    const share = { extranonce2, ntime: NTIME, nonce: uint32ToHex(nonce) };
    const r = checkShare({
      algorithm: 'sha256d',
      job: prepared,
      extranonce1,
      ...share,
      versionMask: 0,
      shareTarget: LOW,
    });
    if (r.meetsShareTarget) return { ...share, hash: r.hash };
  }
  throw new Error('no share found');
}

/** The pool's side: its own job and its own extranonce1, as a real pool validates. */
function poolChecks(extranonce2: string, ntime: string, nonce: string) {
  return checkShare({
    algorithm: 'sha256d',
    job: prepareJob(POOL_JOB),
    extranonce1: POOL.extranonce1,
    extranonce2,
    ntime,
    nonce,
    versionMask: 0,
    shareTarget: LOW,
  });
}

describe('fold layout: constant E1′ across pools (stratum.md §2.4)', () => {
  const layout = foldLayout(POOL, { minerExtranonce1Bytes: 2, minerExtranonce2Size: 4 });
  if (!layout.fits) throw new Error('expected a fit');

  it('keeps every coinbase byte in place: coinb1′ ‖ X ‖ xn2 ‖ coinb2 = coinb1 ‖ E1 ‖ (q ‖ X ‖ xn2) ‖ coinb2', () => {
    const x = extranonceHex(7, 2);
    const xn2 = 'deadbeef';
    const up2 = foldUpstreamExtranonce2(layout, x, xn2);
    assert.equal(layout.filler, '0000');
    assert.equal(up2.length / 2, POOL.extranonce2Size);
    assert.equal(
      foldCoinb1(layout, POOL_JOB.coinb1) + x + xn2 + POOL_JOB.coinb2,
      POOL_JOB.coinb1 + POOL.extranonce1 + up2 + POOL_JOB.coinb2,
    );
  });

  it('a share built by a miner through the layout validates at the pool with the pool’s own extranonce', () => {
    const x = extranonceHex(0x0102, 2);
    const minerJob = { ...POOL_JOB, coinb1: foldCoinb1(layout, POOL_JOB.coinb1) };
    const found = mine(minerJob, x, '00000005');
    const atPool = poolChecks(foldUpstreamExtranonce2(layout, x, '00000005'), found.ntime, found.nonce);
    assert.equal(atPool.meetsShareTarget, true);
    assert.deepEqual(atPool.hash, found.hash);
  });

  it('without the filler the pool computes another hash (the layout is not a no-op)', () => {
    const x = '0102';
    const found = mine({ ...POOL_JOB, coinb1: foldCoinb1(layout, POOL_JOB.coinb1) }, x, '00000005');
    const wrong = poolChecks(`${x}000000050000`, found.ntime, found.nonce); // q moved to the end
    assert.notDeepEqual(wrong.hash, found.hash);
  });

  it('fits exactly when n2_up = k + n2′ (empty filler), not below', () => {
    const exact = foldLayout(
      { extranonce1: 'aa', extranonce2Size: 6 },
      { minerExtranonce1Bytes: 2, minerExtranonce2Size: 4 },
    );
    assert.equal(exact.fits, true);
    assert.equal(exact.fits && exact.filler, '');
    assert.deepEqual(
      foldLayout(
        { extranonce1: 'aa', extranonce2Size: 4 },
        { minerExtranonce1Bytes: 2, minerExtranonce2Size: 4 },
      ),
      { fits: false, missingBytes: 2 },
    );
  });
});

describe('split layout: nonce-splitting prefixes (stratum.md §2.4)', () => {
  const layout = splitLayout(POOL, 2);

  it('gives the miner E1 ‖ p_i and n2 − k, and carries 2^(8k) miners', () => {
    assert.deepEqual(layout, { prefixBytes: 2, minerExtranonce2Size: 6, capacity: 65536 });
    assert.equal(splitMinerExtranonce1(POOL, extranonceHex(3, 2)), 'a1b2c3d40003');
  });

  it('a share built by a miner through the layout validates at the pool with the pool’s own extranonce', () => {
    const prefix = extranonceHex(0xbeef, 2);
    const xn2 = '000000000009';
    const found = mine(POOL_JOB, splitMinerExtranonce1(POOL, prefix), xn2);
    const atPool = poolChecks(splitUpstreamExtranonce2(prefix, xn2), found.ntime, found.nonce);
    assert.equal(atPool.meetsShareTarget, true);
    assert.deepEqual(atPool.hash, found.hash);
  });

  it('refuses a prefix that leaves the miner no extranonce2', () => {
    assert.throws(() => splitLayout(POOL, 8), { code: 'SM_STRATUM_LAYOUT_DOES_NOT_FIT' });
    assert.throws(() => splitLayout(POOL, 0), { code: 'SM_STRATUM_LAYOUT_DOES_NOT_FIT' });
  });

  it('slot indexes become fixed-width big-endian hex, and refuse indexes beyond k bytes', () => {
    assert.equal(extranonceHex(0, 1), '00');
    assert.equal(extranonceHex(65535, 2), 'ffff');
    assert.throws(() => extranonceHex(256, 1), { code: 'SM_STRATUM_LAYOUT_DOES_NOT_FIT' });
  });
});
