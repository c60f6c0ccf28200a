import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hardwareKey, slugKey } from './hardware.ts';

describe('hardware keys', () => {
  it('joins vendor and name, lowercased, other characters as single dashes, vendor not repeated', () => {
    assert.equal(hardwareKey('nvidia', 'RTX 4090'), 'nvidia-rtx-4090');
    assert.equal(hardwareKey('amd', 'RX 6800 XT (16GB)'), 'amd-rx-6800-xt-16gb');
    assert.equal(hardwareKey('NVIDIA', 'NVIDIA RTX 3080 Ti'), 'nvidia-rtx-3080-ti');
  });

  it('slugs a source’s own device id the same way', () => {
    assert.equal(slugKey('nvidia-rtx-3080'), 'nvidia-rtx-3080');
    assert.equal(slugKey(' Antminer S19 XP '), 'antminer-s19-xp');
  });
});
