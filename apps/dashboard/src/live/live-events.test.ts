// Tests for what a view reloads on: its own events and every reconnection, not the others' events.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { versionOf } from './live-events.ts';

describe('live versions', () => {
  const snapshot = {
    state: 'live' as const,
    version: 2,
    counts: { 'rankings-changed': 3, 'miners-reported': 40, switch: 5 },
    lastEventAt: null,
  };

  it("grows with a view's own events and with reconnections only", () => {
    assert.equal(versionOf(snapshot, ['rankings-changed']), 5);
    assert.equal(versionOf(snapshot, ['miners-reported']), 42);
    assert.equal(versionOf(snapshot, ['switch', 'rankings-changed']), 10);
    assert.equal(versionOf(snapshot, ['catch-up']), 2);
    const moreMiners = { ...snapshot, counts: { ...snapshot.counts, 'miners-reported': 41 } };
    assert.equal(versionOf(moreMiners, ['rankings-changed']), versionOf(snapshot, ['rankings-changed']));
  });
});
