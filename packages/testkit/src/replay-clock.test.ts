// Tests for moving the recorded timestamps to now: only time fields move, each in its own unit.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RECORDED_AT, shiftRecordedTimes } from './replay-clock.ts';
import { ReplayServer } from './replay-server.ts';

const DAY_MS = 86_400_000;

describe('replay clock', () => {
  it('moves seconds, milliseconds and ISO times by the same amount, and nothing else', () => {
    const body = {
      now: 1708101372000,
      stats: { lastBlockFound: 1708100467, networkHashrate: 1708100467, height: 19_000_000 },
      rows: [{ closeTime: 1708101371999, last_updated: '2024-02-16T16:35:32.178Z', lastPrice: '26.5' }],
      coins: { Ravencoin: { timestamp: 1708101252, tag: 'RVN' } },
    };
    assert.deepEqual(shiftRecordedTimes(body, DAY_MS), {
      now: 1708187772000,
      stats: { lastBlockFound: 1708186867, networkHashrate: 1708100467, height: 19_000_000 },
      rows: [{ closeTime: 1708187771999, last_updated: '2024-02-17T16:35:32.178Z', lastPrice: '26.5' }],
      coins: { Ravencoin: { timestamp: 1708187652, tag: 'RVN' } },
    });
  });

  it('serves the recording as if made now when given a clock', async () => {
    const now = new Date('2026-12-01T12:00:00Z');
    const server = await new ReplayServer(undefined, { now: () => now }).listen();
    try {
      const res = await fetch(`${server.origin}/2miners/etc/api/stats`);
      const body = (await res.json()) as { now: number };
      assert.equal(body.now, now.getTime());
      const plain = await new ReplayServer().listen();
      try {
        const recorded = (await (await fetch(`${plain.origin}/2miners/etc/api/stats`)).json()) as {
          now: number;
        };
        assert.equal(recorded.now, RECORDED_AT.getTime());
      } finally {
        await plain.close();
      }
    } finally {
      await server.close();
    }
  });
});
