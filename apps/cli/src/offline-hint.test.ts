// Tests for the offline hint: said once, and only when a source could not be reached at all.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SourceRun } from '@smart-mining/db';
import { OFFLINE_HINT, offlineHint } from './offline-hint.ts';

const at = new Date('2026-12-01T12:00:00Z');
const run = (source: string, error?: string): SourceRun => ({
  source,
  startedAt: at,
  finishedAt: at,
  ok: error === undefined,
  rows: error === undefined ? 5 : 0,
  durationMs: 10,
  ...(error ? { error } : {}),
});

describe('offline hint', () => {
  it('is said once, after the first source that cannot be reached, never for other failures', () => {
    const said: string[] = [];
    const onRun = offlineHint((hint) => said.push(hint));
    onRun(run('binance'));
    onRun(run('coingecko', 'SM_SOURCE_HTTP: GET api.coingecko.com/coins/markets: HTTP 500'));
    onRun(run('minerstat', 'SM_SOURCE_TIMEOUT: GET api.minerstat.com/v2/coins: no answer within 10000 ms'));
    assert.deepEqual(said, []);
    onRun(run('whattomine', 'SM_SOURCE_NETWORK: cannot reach whattomine.com: host not found (ENOTFOUND)'));
    onRun(run('nanopool', 'SM_SOURCE_NETWORK: cannot reach api.nanopool.org: host not found (ENOTFOUND)'));
    assert.deepEqual(said, [OFFLINE_HINT]);
    assert.match(OFFLINE_HINT, /^no network\? try `smart-mining replay`/);
  });
});
