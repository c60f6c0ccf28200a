// Tests for the number formats of decision reasons: no value reads as 0.0000 when it is not 0.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeGap, formatUsd } from './reason-format.ts';

describe('reason formats', () => {
  it('shows USD/day for an ASIC, a GPU and a value per 1 H/s', () => {
    assert.deepEqual([1234.567, 0.26834, 0.0123, 9.9e-9, 0, -0.5].map(formatUsd), [
      '1234.57',
      '0.2683',
      '0.0123',
      '9.90e-9',
      '0.0000',
      '-0.5000',
    ]);
  });

  it('gives a gap in USD/day when the base is not positive', () => {
    assert.equal(describeGap(0.041, 1), '4.1 % above');
    assert.equal(describeGap(-2e-9, 0), '2.00e-9 USD/day below');
  });
});
