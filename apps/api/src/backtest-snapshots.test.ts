// Tests for buildSnapshots: latest row at or before each step, staleness, fee fallback, trailing averages.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BacktestHistory } from '@smart-mining/db';
import { parseProfileDefinition } from '@smart-mining/domain';
import { buildSnapshots, stepTimes } from './backtest-snapshots.ts';

const at = (hhmm: string) => new Date(`2026-11-25T${hhmm}:00.000Z`);

const history: BacktestHistory = {
  coins: [
    {
      coin: 'RVN',
      algorithm: 'kawpow',
      points: [
        { time: at('00:10'), usdPerHsDay: 2e-8, trusted: true, volume24hUsd: 1e6 },
        { time: at('00:40'), usdPerHsDay: 4e-8, trusted: true, volume24hUsd: null },
        { time: at('00:50'), usdPerHsDay: 90e-8, trusted: false, volume24hUsd: null },
      ],
    },
  ],
  pools: [
    {
      poolKey: '2miners:RVN',
      pool: '2miners',
      coin: 'RVN',
      algorithm: 'kawpow',
      currentFeeFraction: 0.05,
      fees: [{ time: at('00:30'), feeFraction: 0.01 }],
    },
    { poolKey: 'x:NOPE', pool: 'x', coin: 'NOPE', algorithm: 'kawpow', currentFeeFraction: 0, fees: [] },
  ],
  rows: 4,
};

describe('buildSnapshots', () => {
  it('steps from `from` by stepS while before `to`', () => {
    const times = stepTimes({ from: at('00:00'), to: at('01:00'), stepS: 1500 });
    assert.deepEqual(times, [at('00:00'), at('00:25'), at('00:50')]);
  });

  it("values each pool from its coin's latest row at or before the step, stale past maxDataAgeS", () => {
    const definition = parseProfileDefinition({ filters: { maxDataAgeS: 900 } });
    const snapshots = buildSnapshots(history, definition, {
      from: at('00:00'),
      to: at('01:30'),
      stepS: 1800,
    });
    const view = snapshots.map((s) =>
      s.candidates.map((c) => [c.usdPerHsDay.current, c.feeFraction, c.trusted, c.stale, c.dataAt]),
    );
    assert.deepEqual(view, [
      [], // no row yet: no candidate
      [[2e-8, 0.01, true, true, at('00:10')]], // 20 min old; the fee row at 00:30 counts
      [[90e-8, 0.01, false, false, at('00:50')]], // trusted comes from the row
    ]);
    assert.equal(snapshots[1]!.candidates[0]!.volume24hUsd, 1e6);
  });

  it('uses the current fee before the first fee row', () => {
    const definition = parseProfileDefinition({});
    const [snapshot] = buildSnapshots(history, definition, {
      from: at('00:15'),
      to: at('00:20'),
      stepS: 300,
    });
    assert.equal(snapshot!.candidates[0]!.feeFraction, 0.05);
  });

  it("averages the trusted rows of the basis's trailing window", () => {
    const definition = parseProfileDefinition({ priceBasis: 'avg_1h' });
    const snapshots = buildSnapshots(history, definition, {
      from: at('00:45'),
      to: at('01:50'),
      stepS: 1800,
    });
    const averages = snapshots.map((s) => s.candidates[0]!.usdPerHsDay.avg_1h);
    // 00:45: (2 + 4) / 2; 01:15: only 00:40 is in (00:15, 01:15] and trusted; 01:45: none.
    assert.deepEqual(
      averages.map((v) => v && Number(v.toExponential(6))),
      [3e-8, 4e-8, undefined],
    );
  });
});
