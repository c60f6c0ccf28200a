import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashesPerShare } from '@smart-mining/stratum';
import { nextHashrate } from './hashrate.ts';

describe('nextHashrate', () => {
  it('a first window is taken as it is: 60 sha256d shares of difficulty 1 in 60 s ≈ 2^32 H/s', () => {
    const hs = nextHashrate(0, 60 * hashesPerShare('sha256d', 1), 60, 300);
    assert.ok(Math.abs(hs / 2 ** 32 - 1) < 1e-3);
  });

  it('then moves toward each new window by 1 − e^(−Δt/τ)', () => {
    const hs = nextHashrate(100, 60 * 200, 60, 300);
    assert.ok(Math.abs(hs - (100 + (1 - Math.exp(-0.2)) * 100)) < 1e-9);
    assert.equal(nextHashrate(100, 0, 0, 300), 100);
  });

  it('decays toward zero when no share is accepted', () => {
    let hs = 1000;
    for (let i = 0; i < 30; i++) hs = nextHashrate(hs, 0, 60, 300);
    assert.ok(hs < 5);
  });
});
