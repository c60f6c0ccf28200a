import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_LIMITS, listenerConfig, proxyTimings } from './config.ts';
import { ProxyError } from './errors.ts';

describe('listenerConfig', () => {
  it('fills the defaults: shared upstreams, k = 1, n2′ = 3, BIP 320 mask for sha256d, none for scrypt', () => {
    const sha = listenerConfig({ algorithm: 'sha256d' });
    assert.equal(sha.port, 3333);
    assert.equal(sha.upstreamMode, 'shared');
    assert.equal(sha.standby, true);
    assert.equal(listenerConfig({ algorithm: 'sha256d', upstreamMode: 'per-miner' }).standby, false);
    assert.equal(listenerConfig({ algorithm: 'sha256d', standby: false }).standby, false);
    assert.equal(sha.prefixBytes, 1);
    assert.equal(sha.extranonce2Size, 3);
    assert.equal(sha.versionMask, 0x1fffe000);
    assert.deepEqual(sha.limits, DEFAULT_LIMITS);
    assert.equal(listenerConfig({ algorithm: 'scrypt' }).versionMask, 0);
    assert.equal(
      listenerConfig({ algorithm: 'scrypt', limits: { maxConnectionsPerIp: 5 } }).limits.maxConnectionsPerIp,
      5,
    );
  });

  it('refuses out-of-range options with SM_PROXY_BAD_CONFIG naming the field', () => {
    const bad: [Parameters<typeof listenerConfig>[0], RegExp][] = [
      [{ algorithm: 'x11' as 'sha256d' }, /algorithm x11/],
      [{ algorithm: 'sha256d', prefixBytes: 4 }, /prefixBytes 4/],
      [{ algorithm: 'sha256d', extranonce2Size: 1 }, /extranonce2Size 1/],
      [{ algorithm: 'sha256d', port: 70000 }, /port 70000/],
      [
        { algorithm: 'sha256d', upstreamMode: 'per-miner', standby: true },
        /standby needs upstreamMode shared/,
      ],
      [{ algorithm: 'sha256d', limits: { idleTimeoutS: -1 } }, /limits.idleTimeoutS/],
    ];
    for (const [input, why] of bad) {
      assert.throws(
        () => listenerConfig(input),
        (e: unknown) => e instanceof ProxyError && e.code === 'SM_PROXY_BAD_CONFIG' && why.test(e.message),
      );
    }
    assert.throws(() => proxyTimings({ graceS: 0 }), /graceS 0/);
  });
});
