// decide(): the switching policy and the eligibility rules, one table row per behaviour.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findBuiltInProfile } from './built-in-profiles.ts';
import { decide, decidePrepared, prepareDecision } from './decide.ts';
import { candidate, current, NOW, profile, secondsBefore, unitMiner } from './test-builders.ts';
import type { Candidate, CurrentTarget, MinerCapability, Profile } from './types.ts';

const builtIn = (name: string): Profile => findBuiltInProfile(name)!;
const ETC_KAS_RVN = unitMiner('etchash', 'kheavyhash', 'kawpow');

interface Case {
  name: string;
  profile?: Profile;
  miner?: MinerCapability;
  candidates: Candidate[];
  current?: CurrentTarget;
  /** Pool key expected in `chosen`; undefined = nothing eligible. */
  chosen: string | undefined;
  switched?: boolean;
  /** Substrings the reason must contain, in order. */
  reason: string[];
  excluded?: { target: string; why: RegExp }[];
}

const cases: Case[] = [
  {
    name: 'no current: takes the best at once',
    candidates: [candidate('2miners:ETC', 1), candidate('nanopool:ETC', 0.9)],
    chosen: '2miners:ETC',
    switched: true,
    reason: ['starting on ETC@2miners: ranks first of 2 eligible at 1.00 USD/day'],
  },
  {
    name: 'hysteresis holds below the threshold',
    candidates: [candidate('2miners:ETC', 1), candidate('nanopool:ETC', 1.02)],
    current: current('2miners:ETC', 3600),
    chosen: '2miners:ETC',
    switched: false,
    reason: ['keeping ETC@2miners: best ETC@nanopool only 2.0 % above, below the 3 % threshold'],
  },
  {
    name: 'hysteresis releases above the threshold',
    candidates: [candidate('2miners:ETC', 1), candidate('nanopool:ETC', 1.041)],
    current: current('2miners:ETC', 3600),
    chosen: 'nanopool:ETC',
    switched: true,
    reason: [
      'ETC@nanopool 4.1 % above current ETC@2miners (1.04 vs 1.00 USD/day), threshold 3 %, dwell 600 s met',
    ],
  },
  {
    name: 'dwell holds a better target back',
    candidates: [candidate('2miners:ETC', 1), candidate('nanopool:ETC', 1.1)],
    current: current('2miners:ETC', 120),
    chosen: '2miners:ETC',
    switched: false,
    reason: ['keeping ETC@2miners: dwell 120 s of 600 s (best ETC@nanopool 10.0 % above)'],
  },
  {
    name: 'dwell releases once met',
    candidates: [candidate('2miners:ETC', 1), candidate('nanopool:ETC', 1.1)],
    current: current('2miners:ETC', 600),
    chosen: 'nanopool:ETC',
    switched: true,
    reason: ['ETC@nanopool 10.0 % above current ETC@2miners', 'dwell 600 s met'],
  },
  {
    name: 'current ranks first: kept',
    candidates: [candidate('2miners:ETC', 1.2), candidate('nanopool:ETC', 1.1)],
    current: current('2miners:ETC', 30),
    chosen: '2miners:ETC',
    switched: false,
    reason: ['keeping ETC@2miners: ranks first at 1.20 USD/day'],
  },
  {
    name: 'stale data never wins, even with the best value',
    candidates: [candidate('2miners:ETC', 1), candidate('nanopool:ETC', 5, { stale: true })],
    chosen: '2miners:ETC',
    reason: ['starting on ETC@2miners'],
    excluded: [{ target: 'nanopool:ETC', why: /^stale$/ }],
  },
  {
    name: 'a stale current is left at once, dwell or not',
    candidates: [candidate('2miners:ETC', 1), candidate('nanopool:ETC', 5, { stale: true })],
    current: current('nanopool:ETC', 10),
    chosen: '2miners:ETC',
    switched: true,
    reason: ['current ETC@nanopool is stale: switching to ETC@2miners at 1.00 USD/day'],
  },
  {
    name: 'a current without data is left at once',
    candidates: [candidate('2miners:ETC', 1)],
    current: current('herominers:ETC', 10),
    chosen: '2miners:ETC',
    reason: [
      'current ETC@herominers is not in the market data (an unknown pool key, or no data for its coin yet): ' +
        'switching to ETC@2miners',
    ],
  },
  {
    name: 'an untrusted price never wins',
    candidates: [candidate('2miners:ETC', 1), candidate('2miners:KAS', 9, { trusted: false })],
    miner: ETC_KAS_RVN,
    chosen: '2miners:ETC',
    reason: ['starting on ETC@2miners'],
    excluded: [{ target: '2miners:KAS', why: /^untrusted/ }],
  },
  {
    name: 'data older than maxDataAgeS never wins',
    candidates: [
      candidate('2miners:ETC', 1),
      candidate('nanopool:ETC', 2, { dataAt: secondsBefore(NOW, 1000) }),
    ],
    chosen: '2miners:ETC',
    reason: ['starting on ETC@2miners'],
    excluded: [{ target: 'nanopool:ETC', why: /^too old: data 1000 s, max 900 s$/ }],
  },
  {
    name: 'a denied pool is excluded (by pool id and by pool key)',
    profile: profile({ filters: { pools: { deny: ['nanopool', '2miners:RVN'] } } }),
    miner: ETC_KAS_RVN,
    candidates: [candidate('2miners:ETC', 1), candidate('nanopool:ETC', 2), candidate('2miners:RVN', 3)],
    chosen: '2miners:ETC',
    reason: ['starting on ETC@2miners'],
    excluded: [
      { target: 'nanopool:ETC', why: /^denied by the profile's pools$/ },
      { target: '2miners:RVN', why: /^denied by the profile's pools$/ },
    ],
  },
  {
    name: 'coin allow-list, profile algorithms and minimum volume',
    profile: profile({
      filters: { coins: { allow: ['ETC', 'KAS'] }, algorithms: ['etchash', 'kawpow'], minVolume24hUsd: 1e6 },
    }),
    miner: ETC_KAS_RVN,
    candidates: [
      candidate('2miners:ETC', 1, { volume24hUsd: 5e6 }),
      candidate('nanopool:ETC', 2, { volume24hUsd: 5e5 }),
      candidate('2miners:KAS', 3, { volume24hUsd: 5e6 }),
      candidate('2miners:RVN', 4, { volume24hUsd: 5e6 }),
    ],
    chosen: '2miners:ETC',
    reason: ['starting on ETC@2miners'],
    excluded: [
      { target: 'nanopool:ETC', why: /^below the minimum 24h volume: 500000\.00 of 1000000\.00 USD$/ },
      { target: '2miners:KAS', why: /^outside the profile's algorithms \(kheavyhash\)$/ },
      { target: '2miners:RVN', why: /^not allowed by the profile's coins$/ },
    ],
  },
  {
    name: 'the algorithm switch cost blocks a marginal cross-algorithm switch',
    miner: ETC_KAS_RVN,
    candidates: [candidate('2miners:ETC', 1), candidate('2miners:KAS', 1.1)],
    current: current('2miners:ETC', 3600),
    chosen: '2miners:ETC',
    switched: false,
    reason: [
      'keeping ETC@2miners: best KAS@2miners 10.0 % above but only 1.0 % below after the kheavyhash switch ' +
        'cost (60 s of lost work over 600 s), below the 3 % threshold',
    ],
  },
  {
    name: 'a zero switch cost is not mentioned: the raw gap decides',
    profile: profile({ switching: { thresholdFraction: 0.05, minDwellS: 0, algorithmSwitchCostS: 0 } }),
    miner: ETC_KAS_RVN,
    candidates: [candidate('2miners:ETC', 1), candidate('2miners:KAS', 1.04)],
    current: current('2miners:ETC', 3600),
    chosen: '2miners:ETC',
    switched: false,
    reason: ['keeping ETC@2miners: best KAS@2miners only 4.0 % above, below the 5 % threshold'],
  },
  {
    name: 'a cross-algorithm switch that pays for its cost goes ahead',
    miner: ETC_KAS_RVN,
    candidates: [candidate('2miners:ETC', 1), candidate('2miners:KAS', 1.2)],
    current: current('2miners:ETC', 3600),
    chosen: '2miners:KAS',
    switched: true,
    reason: ['KAS@2miners 20.0 % above current ETC@2miners', '8.0 % above after the kheavyhash switch cost'],
  },
  {
    name: 'the switch cost prefers a same-algorithm pool over a slightly better other algorithm',
    miner: ETC_KAS_RVN,
    candidates: [candidate('2miners:ETC', 1), candidate('2miners:KAS', 1.1), candidate('nanopool:ETC', 1.05)],
    current: current('2miners:ETC', 3600),
    chosen: 'nanopool:ETC',
    reason: ['ETC@nanopool 5.0 % above current ETC@2miners'],
  },
  {
    name: 'a fixed profile mines its target even when another pays more',
    profile: profile({ fixedTarget: 'nanopool:ETC' }),
    candidates: [candidate('2miners:ETC', 2), candidate('nanopool:ETC', 1)],
    current: current('2miners:ETC', 10),
    chosen: 'nanopool:ETC',
    switched: true,
    reason: ['fixed profile: switching from ETC@2miners to ETC@nanopool at 1.00 USD/day'],
  },
  {
    name: 'a fixed profile with a stale target has nothing eligible',
    profile: builtIn('fixed'),
    candidates: [candidate('2miners:ETC', 2, { stale: true }), candidate('nanopool:ETC', 1)],
    chosen: undefined,
    reason: ['nothing eligible: fixed target ETC@2miners is stale'],
  },
  {
    name: 'unknown hardware: nothing eligible, and why',
    miner: { hardware: 'acme-x1', algorithms: [] },
    candidates: [candidate('2miners:ETC', 1)],
    chosen: undefined,
    reason: ['nothing eligible: no hashrate known for hardware acme-x1 on any algorithm'],
    excluded: [{ target: '2miners:ETC', why: /^not mineable: the miner has no etchash hashrate$/ }],
  },
  {
    name: 'no capability at all (zero hashrate): nothing eligible',
    miner: { algorithms: [{ algorithm: 'etchash', hashrateHs: 0 }] },
    candidates: [candidate('2miners:ETC', 1)],
    chosen: undefined,
    reason: ['nothing eligible: the miner has no known hardware and no algorithm with hashrate > 0'],
  },
  {
    name: 'everything excluded: the reason lists why',
    candidates: [
      candidate('2miners:ETC', 1, { stale: true }),
      candidate('nanopool:ETC', 1, { trusted: false }),
    ],
    chosen: undefined,
    reason: ['nothing eligible: 2 candidate(s) excluded: ETC@2miners stale; ETC@nanopool untrusted'],
  },
  {
    name: 'no candidates',
    candidates: [],
    chosen: undefined,
    reason: [
      "nothing eligible: no candidates: no pool with market data for the miner's algorithms " +
        '(declare one under `pools` in the config)',
    ],
  },
];

describe('decide', () => {
  for (const c of cases) {
    it(c.name, () => {
      const decision = decide({
        candidates: c.candidates,
        profile: c.profile ?? builtIn('max-usd-coin'),
        miner: c.miner ?? unitMiner('etchash'),
        current: c.current,
        now: NOW,
      });
      assert.equal(decision.chosen?.target, c.chosen, decision.reason);
      if (c.switched !== undefined) assert.equal(decision.switched, c.switched, decision.reason);
      let from = 0;
      for (const part of c.reason) {
        const at = decision.reason.indexOf(part, from);
        assert.ok(at >= 0, `reason ${JSON.stringify(decision.reason)} lacks ${JSON.stringify(part)}`);
        from = at + part.length;
      }
      for (const e of c.excluded ?? []) {
        const found = decision.excluded.find((x) => x.target === e.target);
        assert.ok(found, `${e.target} not excluded`);
        assert.match(found.why, e.why);
      }
      const values = decision.ranked.map((t) => t.valueUsdPerDay);
      assert.deepEqual(
        values,
        [...values].sort((a, b) => b - a),
      );
    });
  }
});

describe('decidePrepared', () => {
  // Data ages across maxDataAgeS (900 s) and the dwell across minDwellS (600 s) between the instants.
  const candidates = [
    candidate('2miners:ETC', 1),
    candidate('nanopool:ETC', 1.2, { dataAt: secondsBefore(NOW, 800) }),
    candidate('f2pool:ETC', 1.1, { dataAt: secondsBefore(NOW, 300) }),
    candidate('2miners:ETC', 5),
    candidate('herominers:ETC', 2, { stale: true }),
    candidate('ezil:ETC', { avg_1h: 3 }),
    candidate('k1pool:ETC', 1.3, { dataAt: new Date(Number.NaN) }),
  ];
  const input = { candidates, profile: builtIn('max-usd-coin'), miner: unitMiner('etchash') };
  const since = current('2miners:ETC', 500);

  it('answers at any instant what decide() answers then', () => {
    const prepared = prepareDecision(input);
    for (const laterS of [0, 50, 99, 100, 101, 150, 599, 600, 601, 700, 10_000]) {
      const now = new Date(NOW.getTime() + laterS * 1000);
      for (const at of [{ now }, { now, current: since }]) {
        assert.deepEqual(decidePrepared(prepared, at), decide({ ...input, ...at }), `${laterS} s later`);
      }
    }
  });
});
