// Tests for the switch timelines: grouping per account and route, how long each target was held, a miner's switches.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SwitchLogEntry } from '../../api/types.ts';
import { minerSwitches, moveText, routeTimelines } from './switch-timeline.ts';

let id = 0;
function sw(account: string, route: string, at: string, from: string | null, to: string): SwitchLogEntry {
  id += 1;
  return {
    id,
    at,
    receivedAt: at,
    proxy: 'p1',
    account,
    route,
    profile: route.split('|')[0]!,
    fromPoolKey: from,
    toPoolKey: to,
    reason: `to ${to}`,
    method: 'notify',
    miners: 1,
    inputs: {
      thresholdFraction: 0.03,
      minDwellS: 60,
      algorithmSwitchCostS: 0,
      dwellS: null,
      marginFraction: null,
      netMarginFraction: null,
      expectedUsdPerDay: null,
    },
    idempotencyKey: `k-${id}`,
  };
}

const SCRYPT = 'max-usd-coin|algorithms=scrypt';
const SHA = 'max-profit|algorithms=sha256d';

describe('switch timelines', () => {
  const log = [
    sw('alice', SCRYPT, '2024-02-16T16:10:00Z', 'sim:LTC', 'sim:DOGE'),
    sw('alice', SCRYPT, '2024-02-16T16:00:00Z', null, 'sim:LTC'),
    sw('bob', SHA, '2024-02-16T16:05:00Z', null, 'simA:BTC'),
    sw('alice', SCRYPT, '2024-02-16T16:12:30Z', 'sim:DOGE', 'sim:LTC'),
  ];

  it('groups per account and route, oldest first, with how long each target was held', () => {
    const [alice, bob] = routeTimelines(log);
    assert.equal(alice!.key, `alice ${SCRYPT}`);
    assert.deepEqual(
      alice!.entries.map((e) => [moveText(e), e.heldS]),
      [
        ['start → sim:LTC', 600],
        ['sim:LTC → sim:DOGE', 150],
        ['sim:DOGE → sim:LTC', null],
      ],
    );
    assert.equal(alice!.current, 'sim:LTC');
    assert.equal(bob!.profile, 'max-profit');
    assert.deepEqual(
      bob!.entries.map((e) => e.heldS),
      [null],
    );
  });

  it("finds a miner's switches by its account and profile, newest first", () => {
    const found = minerSwitches(log, { miner: 'alice.rig7', profile: 'max-usd-coin' });
    assert.deepEqual(
      found.map((s) => s.at),
      ['2024-02-16T16:12:30Z', '2024-02-16T16:10:00Z', '2024-02-16T16:00:00Z'],
    );
    assert.equal(minerSwitches(log, { miner: 'alice.rig7', profile: 'max-profit' }).length, 0);
    assert.equal(minerSwitches(log, { miner: 'bob', profile: null }).length, 1);
  });
});
