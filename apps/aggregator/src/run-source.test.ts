// One source run: what counts as a failure, and what the run records about data it brought.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SourceSnapshot } from '@smart-mining/domain';
import type { Collector } from './collectors/collector.ts';
import { runSource } from './run-source.ts';

const NOW = new Date('2024-02-16T16:40:00Z');
const ago = (s: number) => new Date(NOW.getTime() - s * 1000);
const LIMITS = { priceStaleS: 900, networkStaleS: 1800, poolStaleS: 1800, hardwareStaleS: 30 * 86_400 };

function collector(snapshot: Partial<SourceSnapshot>, warnings: string[] = []): Collector {
  return {
    source: '2miners',
    collect: async () => ({ coins: [], pools: [], hardware: [], ...snapshot, warnings }),
  };
}

describe('runSource', () => {
  it('fails a run that brought no row, with SM_SOURCE_EMPTY and the collector’s reasons', async () => {
    const outcome = await runSource(collector({}, ['ETC skipped: HTTP 404']), () => NOW, LIMITS);
    assert.equal(outcome.run.ok, false);
    assert.equal(outcome.snapshot, undefined);
    assert.match(
      outcome.run.error ?? '',
      /^SM_SOURCE_EMPTY: 2miners: no usable row in the answer: ETC skipped/,
    );
  });

  it('names the data already too old to use on the run, by the time of the data', async () => {
    const outcome = await runSource(
      collector({
        coins: [{ source: '2miners', coin: 'ETC', observedAt: ago(2000), difficulty: 2.2e15 }],
        pools: [{ source: '2miners', pool: '2miners', coin: 'ETC', observedAt: ago(86_400) }],
      }),
      () => NOW,
      LIMITS,
    );
    assert.equal(outcome.run.ok, true);
    assert.match(outcome.run.error ?? '', /stale network data, not used \(older than 1800 s\): ETC 2000 s/);
    assert.match(
      outcome.run.error ?? '',
      /stale pool data, not used \(older than 1800 s\): 2miners:ETC 86400 s/,
    );
  });

  it('takes a data time ahead of the fetch as the fetch time', async () => {
    const ahead = new Date(NOW.getTime() + 3600_000);
    const outcome = await runSource(
      collector({ coins: [{ source: '2miners', coin: 'ETC', observedAt: ahead, difficulty: 2.2e15 }] }),
      () => NOW,
      LIMITS,
    );
    assert.equal(outcome.snapshot?.coins[0]?.observedAt.getTime(), NOW.getTime());
    assert.match(outcome.run.error ?? '', /dated after the fetch/);
  });
});
