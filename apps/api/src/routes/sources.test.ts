// Tests for /v1/sources: every known source listed, with its last run, last good rows, staleness and skip reason.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabases } from '@smart-mining/db/testing';
import { SOURCES } from '@smart-mining/domain';
import { insertSourceRun, openTestApp, secondsBefore, T0, type TestApp } from '../test-support.ts';

interface SourceBody {
  source: string;
  skipReason: string | null;
  lastRunAt: string | null;
  lastRunOk: boolean | null;
  lastError: string | null;
  lastOkAt: string | null;
  lastOkRows: number | null;
  lastOkAgeS: number | null;
  stale: boolean;
}

for (const database of testDatabases()) {
  describe(`/v1/sources (${database.name})`, () => {
    let t: TestApp;
    const skip = { source: 'minerstat', reason: 'no MINERSTAT_API_KEY set; Minerstat skipped' };
    before(async () => {
      t = await openTestApp(database, { health: { sourceMaxAgeS: 3600 }, sourceSkips: [skip] });
      await insertSourceRun(t.db, {
        source: 'binance',
        startedAt: secondsBefore(T0, 300),
        ok: true,
        rows: 12,
      });
      await insertSourceRun(t.db, {
        source: 'binance',
        startedAt: secondsBefore(T0, 60),
        ok: false,
        error: 'HTTP 429',
      });
    });
    after(() => t.close());

    const bySource = async (): Promise<Map<string, SourceBody>> => {
      const res = await t.app.inject({ url: '/v1/sources' });
      assert.equal(res.statusCode, 200, res.body);
      return new Map((res.json().sources as SourceBody[]).map((s) => [s.source, s]));
    };

    it('lists every source, those that never ran included', async () => {
      const sources = await bySource();
      assert.deepEqual([...sources.keys()].sort(), [...SOURCES].sort());
      const never = sources.get('whattomine')!;
      assert.equal(never.lastRunAt, null);
      assert.equal(never.stale, true);
    });

    it('gives the last run with its error and the last good run with its rows', async () => {
      const binance = (await bySource()).get('binance')!;
      assert.equal(binance.lastRunOk, false);
      assert.equal(binance.lastError, 'HTTP 429');
      assert.equal(binance.lastOkRows, 12);
      assert.equal(binance.lastOkAgeS, 298);
      assert.equal(binance.stale, false);
    });

    it('says why a source is skipped', async () => {
      assert.equal((await bySource()).get('minerstat')!.skipReason, skip.reason);
      assert.equal((await bySource()).get('binance')!.skipReason, null);
    });
  });
}
