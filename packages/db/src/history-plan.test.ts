// Tests for the history plan: whole rollup buckets from the coarsest rollup that fits, raw rows for the rest.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planHistorySegments, usableRollups } from './history-plan.ts';

const at = (iso: string) => new Date(`2030-01-${iso}Z`);
const plan = (from: string, to: string, rollups: ReturnType<typeof usableRollups>) =>
  planHistorySegments(at(from), at(to), rollups).map((s) => [
    s.source,
    s.from.toISOString().slice(8, 16),
    s.to.toISOString().slice(8, 16),
  ]);

describe('history plan', () => {
  const coverage = { hourly: at('05T13:00'), daily: at('05T00:00') };

  it('uses only rollups whose buckets fit whole into the asked ones, coarsest first', () => {
    assert.deepEqual(
      usableRollups(86_400 * 7, coverage).map((r) => r.level),
      ['daily', 'hourly'],
    );
    assert.deepEqual(
      usableRollups(7200, coverage).map((r) => r.level),
      ['hourly'],
    );
    assert.deepEqual(usableRollups(5400, coverage), []);
    assert.deepEqual(
      usableRollups(86_400, { hourly: at('05T13:00') }).map((r) => r.level),
      ['hourly'],
    );
  });

  it('splits a ragged range: raw edges, hourly around the days, daily inside, raw after the coverage', () => {
    assert.deepEqual(plan('01T10:30', '06T08:15', usableRollups(86_400, coverage)), [
      ['raw', '01T10:30', '01T11:00'],
      ['hourly', '01T11:00', '02T00:00'],
      ['daily', '02T00:00', '05T00:00'],
      ['hourly', '05T00:00', '05T13:00'],
      ['raw', '05T13:00', '06T08:15'],
    ]);
  });

  it('reads raw rows alone without rollups, or for a range inside one open bucket', () => {
    assert.deepEqual(plan('01T10:30', '01T10:45', usableRollups(3600, coverage)), [
      ['raw', '01T10:30', '01T10:45'],
    ]);
    assert.deepEqual(plan('01T00:00', '03T00:00', []), [['raw', '01T00:00', '03T00:00']]);
    assert.deepEqual(plan('06T00:00', '07T00:00', usableRollups(86_400, coverage)), [
      ['raw', '06T00:00', '07T00:00'],
    ]);
  });
});
