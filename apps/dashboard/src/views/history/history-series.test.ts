// Tests for turning history answers into chart columns: one time axis, gaps, axes per unit, relative mode.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResponseOf } from '@smart-mining/api-contract';
import type { History } from '../../api/types.ts';
import { buildColumns, COIN_MEASURES } from './history-series.ts';

const price = COIN_MEASURES.find((m) => m.key === 'priceUsd')!;
const difficulty = COIN_MEASURES.find((m) => m.key === 'difficulty')!;

function history(points: [string, number | null][], measure = 'priceUsd'): History {
  return {
    coin: 'ETC',
    from: '2024-02-16T00:00:00Z',
    to: '2024-02-16T03:00:00Z',
    bucketS: 3600,
    // One measure per point is all the series read; the answer carries every measure.
    points: points.map(
      ([at, avg]) =>
        ({
          at,
          samples: 1,
          [measure]: { avg, min: avg, max: avg },
        }) as unknown as ResponseOf<'coinHistory'>['points'][number],
    ),
  };
}

describe('history series', () => {
  it('aligns series on one time axis, with gaps where a series has no bucket', () => {
    const etc = history([
      ['2024-02-16T00:00:00Z', 20],
      ['2024-02-16T01:00:00Z', 22],
    ]);
    const rvn = history([['2024-02-16T01:00:00Z', 0.02]]);
    const { times, series } = buildColumns(
      [
        { name: 'ETC', measure: price, history: etc },
        { name: 'RVN', measure: price, history: rvn },
      ],
      false,
    );
    assert.deepEqual(times, [
      Date.parse('2024-02-16T00:00:00Z') / 1000,
      Date.parse('2024-02-16T01:00:00Z') / 1000,
    ]);
    assert.deepEqual(series[0]!.values, [20, 22]);
    assert.deepEqual(series[1]!.values, [null, 0.02]);
  });

  it('gives each unit its own axis, logarithmic when the series differ by more than 100×', () => {
    const { scales } = buildColumns(
      [
        { name: 'ETC', measure: price, history: history([['2024-02-16T00:00:00Z', 20]]) },
        { name: 'RVN', measure: price, history: history([['2024-02-16T00:00:00Z', 0.02]]) },
        {
          name: 'ETC',
          measure: difficulty,
          history: history([['2024-02-16T00:00:00Z', 2e15]], 'difficulty'),
        },
      ],
      false,
    );
    assert.deepEqual(
      scales.map((s) => [s.key, s.log]),
      [
        ['usd', true],
        ['difficulty', false],
      ],
    );
  });

  it('in relative mode, puts every series on one axis as its change since its first value', () => {
    const { series, scales } = buildColumns(
      [
        {
          name: 'ETC',
          measure: price,
          history: history([
            ['2024-02-16T00:00:00Z', 20],
            ['2024-02-16T01:00:00Z', 25],
          ]),
        },
      ],
      true,
    );
    assert.deepEqual(series[0]!.values, [0, 0.25]);
    assert.deepEqual(
      scales.map((s) => s.key),
      ['relative'],
    );
  });
});
