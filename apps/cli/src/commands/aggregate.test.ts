import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CycleReport } from '@smart-mining/aggregator';
import { exitCodeFor, formatReport } from './aggregate.ts';

const at = new Date('2024-02-16T16:40:00Z');
const run = (source: string, ok: boolean, error?: string) => ({
  source,
  startedAt: at,
  finishedAt: at,
  ok,
  rows: ok ? 8 : 0,
  durationMs: 12.4,
  ...(error ? { error } : {}),
});

describe('aggregate --once report', () => {
  it('exits non-zero only when every source that ran failed', () => {
    const skipped = [{ source: 'minerstat' as const, reason: 'no MINERSTAT_API_KEY set; Minerstat skipped' }];
    assert.equal(exitCodeFor({ runs: [run('binance', false, 'x'), run('coingecko', true)], skipped }), 0);
    assert.equal(
      exitCodeFor({ runs: [run('binance', false, 'x'), run('coingecko', false, 'y')], skipped }),
      1,
    );
    assert.equal(exitCodeFor({ runs: [], skipped }), 0);
  });

  it('prints one row per source with ok, rows, duration and the error or skip reason', () => {
    const report: CycleReport = {
      runs: [run('binance', true), run('coingecko', false, 'SM_SOURCE_TIMEOUT: no answer within 10000 ms')],
      skipped: [{ source: 'minerstat', reason: 'no MINERSTAT_API_KEY set; Minerstat skipped' }],
    };
    const lines = formatReport(report).trimEnd().split('\n');
    assert.match(lines[0]!, /^source\s+ok\s+rows\s+duration\s+note$/);
    assert.match(lines[2]!, /^binance\s+yes\s+8\s+12 ms$/);
    assert.match(lines[3]!, /^coingecko\s+NO\s+0\s+12 ms\s+SM_SOURCE_TIMEOUT: no answer within 10000 ms$/);
    assert.match(lines[4]!, /^minerstat\s+skip\s+0\s+-\s+no MINERSTAT_API_KEY set; Minerstat skipped$/);
  });
});
