import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildHeader, coinbaseHash, merkleRoot, prepareJob, rolledVersion } from './block-header.ts';
import { difficultyFromTarget, targetFromBits, targetFromDifficulty, targetToBytes } from './difficulty.ts';
import { uint32FromHex } from './hex.ts';
import { scryptPow } from './pow.ts';
import {
  checkShare,
  checkShareOffThread,
  hashDifficulty,
  hashesOffThread,
  hashMeetsTarget,
  type ShareCheck,
  versionBitsAllowed,
} from './share-check.ts';

/** Bitcoin block 100000 as a Stratum job (stratum.md §2.6). */
const BLOCK_100000 = {
  coinb1: '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff08',
  extranonce1: '044c8604',
  extranonce2: '1b020602',
  coinb2:
    'ffffffff0100f2052a010000004341041b0e8c2567c12536aa13357b79a073dc4444acb83c4ec7a0e2f99dd7457516c5817242da796924ca4e99947d087fedf9ce467cb9f7c6287078f801df276fdf84ac00000000',
  merkleBranch: [
    'c40297f730dd7b5a99567eb8d27b78758f607507c52292d02d4031895b52f2ff',
    '49aef42d78e3e9999c9e6ec9e1dddd6cb880bf3b076a03be1318ca789089308e',
  ],
  prevhash: '1901125004612a1701c3a621d930d31d36b607df1fccc2160002d01c00000000',
  version: '00000001',
  nbits: '1b04864c',
  ntime: '4d1b2237',
  nonce: '10572b0f',
};
const HEADER =
  '0100000050120119172a610421a6c3011dd330d9df07b63616c2cc1f1cd00200000000006657a9252aacd5c0b2940996ecff952228c3067cc38d4885efb5a4ac4247e9f337221b4d4c86041b0f2b5710';
const BLOCK_HASH = '000000000003ba27aa200b1cecaad478d2b00432346c3f1f3986da1afd33e506';
const display = (internal: Buffer) => Buffer.from(internal).reverse().toString('hex');

describe('share check, Bitcoin block 100000 (stratum.md §2.6)', () => {
  const job = prepareJob(BLOCK_100000);
  const share = {
    algorithm: 'sha256d',
    job,
    extranonce1: BLOCK_100000.extranonce1,
    extranonce2: BLOCK_100000.extranonce2,
    ntime: BLOCK_100000.ntime,
    nonce: BLOCK_100000.nonce,
    versionMask: 0,
    shareTarget: targetToBytes(targetFromDifficulty('sha256d', 17583)),
    blockTarget: targetToBytes(targetFromBits(0x1b04864c)),
  };

  it('coinbase txid and merkle root', () => {
    const cb = coinbaseHash(job, share.extranonce1, share.extranonce2);
    assert.equal(display(cb), '8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87');
    assert.equal(
      display(merkleRoot(cb, job.branch)),
      'f3e94742aca4b5ef85488dc37c06c3282295ffec960994b2c0d5ac2a25a95766',
    );
  });

  it('the 80-byte header', () => {
    const fields = {
      extranonce2: share.extranonce2,
      ntime: uint32FromHex(share.ntime),
      nonce: uint32FromHex(share.nonce),
      version: 1,
    };
    assert.equal(buildHeader(job, share.extranonce1, fields, Buffer.alloc(80)).toString('hex'), HEADER);
  });

  it('hash is the block hash; share difficulty ≈ 17583.06; meets share and block targets', () => {
    const r = checkShare(share);
    assert.equal(display(r.hash), BLOCK_HASH);
    assert.ok(
      Math.abs(hashDifficulty('sha256d', r.hash) - 17583.06) < 0.01,
      String(hashDifficulty('sha256d', r.hash)),
    );
    assert.equal(r.meetsShareTarget, true);
    assert.equal(r.meetsBlockTarget, true);
  });

  it('a share target just above the hash’s difficulty is not met', () => {
    const r = checkShare({ ...share, shareTarget: targetToBytes(targetFromDifficulty('sha256d', 17584)) });
    assert.equal(r.meetsShareTarget, false);
  });

  it('any byte changed gives another hash (extranonce2, nonce, ntime)', () => {
    for (const change of [{ extranonce2: '1b020603' }, { nonce: '10572b10' }, { ntime: '4d1b2238' }]) {
      const r = checkShare({ ...share, ...change });
      assert.notEqual(display(r.hash), BLOCK_HASH);
      assert.equal(r.meetsBlockTarget, false);
    }
  });

  it('version rolling within the mask reproduces the job version when the bits match', () => {
    const r = checkShare({ ...share, versionBits: '00000000', versionMask: 0x1fffe000 });
    assert.equal(r.version, 1);
    assert.equal(display(r.hash), BLOCK_HASH);
    const rolled = checkShare({ ...share, versionBits: '00002000', versionMask: 0x1fffe000 });
    assert.equal(rolled.version, 0x2001);
    assert.notEqual(display(rolled.hash), BLOCK_HASH);
  });
});

describe('version rolling (BIP 310)', () => {
  it('nVersion = (job & ~mask) | (bits & mask), unsigned', () => {
    assert.equal(rolledVersion(0x20000000, 0x1fffe000, 0x1fffe000), 0x3fffe000);
    assert.equal(rolledVersion(0x20000000, 0xffffffff, 0x1fffe000), 0x3fffe000);
    assert.equal(rolledVersion(0x20000000, 0x00000000, 0xffffffff), 0);
    assert.equal(rolledVersion(0xe0000000, 0, 0), 0xe0000000);
  });

  it('bits outside the mask are not allowed', () => {
    assert.equal(versionBitsAllowed('18000000', 0x1fffe000), true);
    assert.equal(versionBitsAllowed('20000000', 0x1fffe000), false);
  });
});

describe('targets compare as 256-bit integers (hash little-endian, target big-endian)', () => {
  it('compares from the most significant byte, equal counts as met', () => {
    const target = targetToBytes(0x0100n << 240n);
    const hash = Buffer.alloc(32);
    hash[31] = 0x01;
    assert.equal(hashMeetsTarget(hash, target), true);
    hash[0] = 1;
    assert.equal(hashMeetsTarget(hash, target), false);
    hash[31] = 0;
    assert.equal(hashMeetsTarget(hash, target), true);
  });
});

describe('scrypt (N=1024, r=1, p=1)', () => {
  it('hashes the Litecoin genesis header to its PoW hash, which meets its bits', () => {
    // Litecoin block 0: its id (sha256d) is 12a765e3…bfe2; the PoW hash is the scrypt one.
    const header = Buffer.from(
      '010000000000000000000000000000000000000000000000000000000000000000000000d9ced4ed1130f7b7faad9be25323ffafa33232a17c3edf6cfd97bee6bafbdd97b9aa8e4ef0ff0f1ecd513f7c',
      'hex',
    );
    assert.equal(
      display(scryptPow(header)),
      '0000050c34a64b415b6b15b37f2216634b5b1669cb9a2e38d76f7213b0671e00',
    );
    assert.equal(hashMeetsTarget(scryptPow(header), targetToBytes(targetFromBits(0x1e0ffff0))), true);
  });

  it('share difficulty of a scrypt hash uses the scrypt diff1', () => {
    const hash = Buffer.alloc(32);
    hash[29] = 0xff;
    hash[28] = 0xff; // hash = 0xffff·2^224 = scrypt diff1
    assert.equal(hashDifficulty('scrypt', hash), 1);
    assert.equal(difficultyFromTarget('scrypt', 0xffffn << 224n), 1);
  });
});

describe('checkShareOffThread: the same verdicts, the PoW off the event loop where it is slow', () => {
  const job = prepareJob(BLOCK_100000);
  const share = (algorithm: string, nonce: number) => ({
    algorithm,
    job,
    extranonce1: BLOCK_100000.extranonce1,
    extranonce2: BLOCK_100000.extranonce2,
    ntime: BLOCK_100000.ntime,
    nonce: nonce.toString(16).padStart(8, '0'),
    versionMask: 0,
    // About 1 hash in 4 meets it (scrypt's diff1 is 2^16 hashes), so the nonces below give both verdicts.
    shareTarget: targetToBytes(targetFromDifficulty(algorithm, 2 ** -14)),
  });

  it('scrypt: hashes on the thread pool, calling back later, each share with its own header', async () => {
    assert.equal(hashesOffThread('scrypt'), true);
    const nonces = Array.from({ length: 600 }, (_, i) => i);
    let returned = false;
    // All issued in one turn: the header buffer checkShare builds in is rebuilt by every call.
    const offThread = Promise.all(
      nonces.map(
        (n) =>
          new Promise<ShareCheck>((resolve) => {
            checkShareOffThread(share('scrypt', n), (check) => {
              assert.equal(returned, true, 'called back after returning');
              resolve(check);
            });
          }),
      ),
    );
    returned = true;
    const got = await offThread;
    const expected = nonces.map((n) => checkShare(share('scrypt', n)));
    assert.deepEqual(got, expected);
    const met = got.filter((c) => c.meetsShareTarget).length;
    assert.ok(met > 0 && met < nonces.length, `both verdicts among the nonces (${met} met)`);
  });

  it('sha256d: answers at once, as checkShare does', () => {
    assert.equal(hashesOffThread('sha256d'), false);
    let got: ShareCheck | undefined;
    checkShareOffThread(share('sha256d', 7), (check) => {
      got = check;
    });
    assert.deepEqual(got, checkShare(share('sha256d', 7)));
  });
});
