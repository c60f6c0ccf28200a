// Tests for the on-screen number formats.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { age, hashrate, si, usd } from './format.ts';

describe('formats', () => {
  it('writes hashrates with SI prefixes', () => {
    assert.equal(hashrate(46_450_000), '46.5 MH/s');
    assert.equal(hashrate(780), '780 H/s');
    assert.equal(hashrate(null), '–');
    assert.equal(si(2.2532e15, 5), '2.2532 P');
    assert.equal(si(2.71e-9), '2.71e-9');
  });

  it('writes USD with the digits that matter', () => {
    assert.equal(usd(0.75661), '$0.7566');
    assert.equal(usd(-0.3152), '−$0.3152');
    assert.equal(usd(52143.1488), '$52,143.15');
    assert.equal(usd(1.6e-8), '$1.600e-8');
  });

  it('writes ages in the largest fitting unit', () => {
    assert.equal(age(45), '45 s');
    assert.equal(age(600), '10 min');
    assert.equal(age(3 * 86_400), '3 d');
  });
});
