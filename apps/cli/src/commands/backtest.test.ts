// Tests for `smart-mining backtest`: the summary text, option → query mapping, exit codes on an empty database.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BacktestReportJson } from '@smart-mining/api-contract';
import { loadConfig } from '@smart-mining/platform';
import {
  backtestCommand,
  backtestQuery,
  formatBacktestSummary,
  formatUsdAmount,
  toOptionNames,
} from './backtest.ts';

const hour = (h: number) => `2026-11-25T0${h}:00:00.000Z`;
const entry = (h: number, target: string | null, valueUsdPerDay: number, switched = false) => ({
  at: hour(h),
  target,
  valueUsdPerDay,
  switched,
});

const REPORT: BacktestReportJson = {
  from: hour(0),
  to: hour(6),
  stepS: 3600,
  profile: 'max-usd-coin',
  snapshots: 6,
  switches: 2,
  usdEarned: 12.85 / 24,
  bestFixed: { target: '2miners:RVN', usdEarned: 9.9 / 24 },
  vsBestFixedFraction: (12.85 - 9.9) / 9.9,
  timeline: [
    entry(0, '2miners:RVN', 2.97),
    entry(1, '2miners:RVN', 2.97),
    entry(2, '2miners:CLORE', 1.98, true),
    entry(3, '2miners:CLORE', 1.96),
    entry(4, null, 0),
    entry(5, '2miners:RVN', 2.97, true),
  ],
};

function sink() {
  const sink = { text: '', write: (chunk: string) => (sink.text += chunk) };
  return sink;
}

describe('backtest command', () => {
  it('prints earnings, switches, the best fixed target and each change of target', () => {
    assert.equal(
      formatBacktestSummary(REPORT),
      [
        'backtest of max-usd-coin: 2026-11-25T00:00:00Z → 2026-11-25T06:00:00Z, 6 steps of 3600 s',
        'earned      0.5354 USD',
        'switches    2',
        'best fixed  2miners:RVN, 0.4125 USD; the profile earned 29.8 % more',
        'target changes:',
        '  2026-11-25T00:00:00Z  2miners:RVN  2.97 USD/day',
        '  2026-11-25T02:00:00Z  2miners:CLORE  1.98 USD/day',
        '  2026-11-25T04:00:00Z  idle (nothing eligible)',
        '  2026-11-25T05:00:00Z  2miners:RVN  2.97 USD/day',
        '',
      ].join('\n'),
    );
  });

  it('says when nothing was ever eligible, and when the profile earned less', () => {
    const idle = { ...REPORT, usdEarned: 0, bestFixed: null, vsBestFixedFraction: null, timeline: [] };
    assert.match(formatBacktestSummary(idle), /best fixed {2}none \(no target was ever eligible\)/);
    const worse = { ...REPORT, vsBestFixedFraction: -0.125 };
    assert.match(formatBacktestSummary(worse), /the profile earned 12\.5 % less/);
  });

  it('formats USD for an ASIC and for 1 H/s alike', () => {
    assert.deepEqual([1234.567, 0.53541, 2.5e-7, 0].map(formatUsdAmount), [
      '1234.57',
      '0.5354',
      '2.50e-7',
      '0',
    ]);
  });

  it('maps options to the query and API parameter names back to options', () => {
    const query = backtestQuery({
      algorithms: 'kawpow',
      hashrate: '1e8',
      from: '2026-11-25',
      to: hour(6),
      step: '900',
    });
    assert.equal(
      query,
      'algorithms=kawpow&hashrateHs=1e8&from=2026-11-25T00%3A00%3A00Z&to=2026-11-25T06%3A00%3A00.000Z&stepS=900',
    );
    assert.equal(toOptionNames('querystring/stepS must be >= 60'), '--step must be >= 60');
    assert.equal(toOptionNames('querystring/from must be before to'), '--from must be before --to');
    assert.equal(
      toOptionNames('querystring/from must be before querystring/to'),
      '--from must be before --to',
    );
  });

  it('exits 0 with a summary on a database without history, 1 with the reason for bad arguments', async () => {
    const config = loadConfig({ file: null, env: { SM_DATA_DIR: 'memory://' } });
    const ok = { out: sink(), err: sink() };
    const range = { from: hour(0), to: hour(6) };
    assert.equal(await backtestCommand({ algorithms: 'kawpow', ...range }, { config, ...ok }), 0);
    assert.match(ok.out.text, /^backtest of max-usd-coin: .* 6 steps of 3600 s\nearned {6}0 USD\n/);
    assert.equal(ok.err.text, '');
    const bad = { out: sink(), err: sink() };
    assert.equal(
      await backtestCommand({ algorithms: 'kawpow', from: hour(6), to: hour(0) }, { config, ...bad }),
      1,
    );
    assert.equal(bad.err.text, 'smart-mining backtest: --from must be before --to\n');
    assert.equal(bad.out.text, '');
  });
});
