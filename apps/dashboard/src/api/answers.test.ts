// Tests for reading the miners and switches answers: contract-shaped answers pass through, others name the field.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnswerError, readMiners, readSwitches } from './answers.ts';

const miner = {
  proxy: 'proxy-1',
  miner: 'alice.rig1',
  poolKey: 'sim:LTC',
  profile: 'max-usd-coin',
  hardware: 'antminer-l7',
  algorithm: 'scrypt',
  agent: 'cgminer/4.12.1',
  connectedAt: '2024-02-16T16:00:00.000Z',
  accepted: 120,
  rejected: 2,
  stale: 1,
  hashrateHs: 9.5e9,
  usdPerDay: 12.5,
  reportedAt: '2024-02-16T16:40:00.000Z',
};

const entry = {
  id: 7,
  at: '2024-02-16T16:30:00.000Z',
  receivedAt: '2024-02-16T16:30:01.000Z',
  proxy: 'proxy-1',
  account: 'alice',
  route: 'max-usd-coin|algorithms=scrypt',
  profile: 'max-usd-coin',
  fromPoolKey: 'sim:LTC',
  toPoolKey: 'sim:DOGE',
  reason: 'switching to DOGE@sim: 6.0 % above LTC@sim, over the 3 % threshold',
  method: 'notify',
  miners: 3,
  inputs: {
    thresholdFraction: 0.03,
    minDwellS: 600,
    algorithmSwitchCostS: 0,
    dwellS: 900,
    marginFraction: 0.06,
    netMarginFraction: 0.06,
    expectedUsdPerDay: 13.1,
  },
  idempotencyKey: 'b5a2c8e4-1',
};

describe('answers', () => {
  it('reads miners as the contract describes them, optional fields as null', () => {
    const { profile: _p, hardware: _h, ...bare } = miner;
    const [full, partial] = readMiners({ miners: [miner, bare] });
    assert.deepEqual(full, miner);
    assert.equal(partial!.profile, null);
    assert.equal(partial!.hardware, null);
    assert.equal(partial!.accepted, 120);
  });

  it('reads switches with their inputs', () => {
    const [read] = readSwitches({ switches: [entry] });
    assert.deepEqual(read, entry);
  });

  it('names the first wrong field', () => {
    assert.throws(
      () => readMiners({ miners: [miner, { ...miner, accepted: '12' }] }),
      (e: unknown) =>
        e instanceof AnswerError && e.path === 'miners/1/accepted' && /not a number/.test(e.message),
    );
    assert.throws(
      () => readSwitches({ switches: [{ ...entry, method: 'teleport' }] }),
      (e: unknown) =>
        e instanceof AnswerError &&
        e.path === 'switches/0/method' &&
        /notify, set_extranonce/.test(e.message),
    );
    assert.throws(
      () => readSwitches({ switches: [{ ...entry, inputs: { ...entry.inputs, minDwellS: null } }] }),
      (e: unknown) => e instanceof AnswerError && e.path === 'switches/0/inputs/minDwellS',
    );
    assert.throws(
      () => readMiners({ miners: [{ ...miner, reportedAt: 'yesterday' }] }),
      (e: unknown) => e instanceof AnswerError && e.path === 'miners/0/reportedAt',
    );
    assert.throws(
      () => readMiners({ error: 'x' }),
      (e: unknown) => e instanceof AnswerError && e.path === 'miners',
    );
    assert.throws(
      () => readSwitches(null),
      (e: unknown) => e instanceof AnswerError && e.path === 'answer',
    );
  });
});
