// Tests for /v1/coins: listing, filters, one coin, history buckets and bad parameters, on every test database.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabases } from '@smart-mining/db/testing';
import { insertCoinHistory, openTestApp, seedMarket, T0, type TestApp } from '../test-support.ts';

for (const database of testDatabases()) {
  describe(`coins routes (${database.name})`, () => {
    let t: TestApp;
    before(async () => {
      t = await openTestApp(database, {}, seedMarket);
      const hour = Date.UTC(2026, 10, 25, 9);
      // Two buckets of an hour: 9:00 (3 samples) and 10:00 (1 sample); 11:00 is outside `to`.
      await insertCoinHistory(t.db, 'ETC', [
        { time: new Date(hour), usdPerHsDay: 1e-8, priceUsd: 20 },
        { time: new Date(hour + 20 * 60_000), usdPerHsDay: 2e-8, priceUsd: 22 },
        { time: new Date(hour + 40 * 60_000), usdPerHsDay: 3e-8, priceUsd: 24 },
        { time: new Date(hour + 3_600_000), usdPerHsDay: 4e-8, priceUsd: 30 },
        { time: new Date(hour + 7_200_000), usdPerHsDay: 9e-8, priceUsd: 90 },
      ]);
    });
    after(() => t.close());

    it('lists every coin with its values and data age, stale ones flagged', async () => {
      const res = await t.app.inject({ url: '/v1/coins' });
      assert.equal(res.statusCode, 200);
      const coins = res.json().coins as Record<string, unknown>[];
      assert.deepEqual(
        coins.map((c) => c.coin),
        ['ERG', 'ETC', 'RVN', 'XMR'],
      );
      const etc = coins.find((c) => c.coin === 'ETC')!;
      assert.equal(etc.algorithm, 'etchash');
      assert.equal(etc.usdPerHsDay, 1e-8);
      assert.equal(etc.priceUsd, 20);
      assert.equal(etc.trusted, true);
      assert.equal(etc.dataAgeS, 60);
      assert.deepEqual(etc.sources, { price_usd: ['binance'] });
      assert.equal(etc.observedAt, '2026-11-25T11:59:00.000Z');
      assert.equal(coins.find((c) => c.coin === 'XMR')!.stale, true);
    });

    it('filters by algorithm (any spelling) and by coin', async () => {
      const byAlgorithm = await t.app.inject({ url: '/v1/coins?algorithms=KawPow,Etchash' });
      assert.deepEqual(
        byAlgorithm.json().coins.map((c: { coin: string }) => c.coin),
        ['ETC', 'RVN'],
      );
      const byCoin = await t.app.inject({ url: '/v1/coins?coins=erg' });
      assert.deepEqual(
        byCoin.json().coins.map((c: { coin: string }) => c.coin),
        ['ERG'],
      );
    });

    it('refuses an unknown algorithm naming the parameter', async () => {
      const res = await t.app.inject({ url: '/v1/coins?algorithms=etchash,frobnicate' });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(res.json(), {
        error: {
          code: 'SM_API_BAD_PARAMETER',
          message: 'querystring/algorithms has unknown algorithm(s): frobnicate',
        },
      });
    });

    it('gets one coin, case-insensitively, and 404s an unknown one', async () => {
      const res = await t.app.inject({ url: '/v1/coins/rvn' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().coin, 'RVN');
      assert.equal(res.json().priceUsd, 0.02);
      const missing = await t.app.inject({ url: '/v1/coins/NOPE' });
      assert.equal(missing.statusCode, 404);
      assert.deepEqual(missing.json().error, { code: 'SM_API_NOT_FOUND', message: 'coin NOPE not found' });
    });

    it('aggregates history into buckets in SQL (avg/min/max per bucket)', async () => {
      const url = '/v1/coins/ETC/history?from=2026-11-25T09:00:00Z&to=2026-11-25T11:00:00Z&bucketS=3600';
      const res = await t.app.inject({ url });
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.coin, 'ETC');
      assert.equal(body.bucketS, 3600);
      assert.equal(body.from, '2026-11-25T09:00:00.000Z');
      assert.equal(body.points.length, 2);
      const [first, second] = body.points;
      assert.equal(first.at, '2026-11-25T09:00:00.000Z');
      assert.equal(first.samples, 3);
      assert.equal(first.priceUsd.avg, 22);
      assert.equal(first.priceUsd.min, 20);
      assert.equal(first.priceUsd.max, 24);
      assert.ok(Math.abs(first.usdPerHsDay.avg - 2e-8) < 1e-20);
      assert.deepEqual(first.difficulty, { avg: null, min: null, max: null });
      assert.equal(second.at, '2026-11-25T10:00:00.000Z');
      assert.equal(second.samples, 1);
      assert.equal(second.priceUsd.max, 30);
    });

    it('uses the bucket size given: 30 minutes splits the first hour in two', async () => {
      const url = '/v1/coins/ETC/history?from=2026-11-25T09:00:00Z&to=2026-11-25T10:00:00Z&bucketS=1800';
      const points = (await t.app.inject({ url })).json().points;
      assert.deepEqual(
        points.map((p: { at: string; samples: number }) => [p.at, p.samples]),
        [
          ['2026-11-25T09:00:00.000Z', 2],
          ['2026-11-25T09:30:00.000Z', 1],
        ],
      );
    });

    it('defaults to the last 24 h in hourly buckets', async () => {
      const body = (await t.app.inject({ url: '/v1/coins/ETC/history' })).json();
      assert.equal(body.to, T0.toISOString());
      assert.equal(body.from, '2026-11-24T12:00:00.000Z');
      assert.equal(body.bucketS, 3600);
      assert.equal(body.points.length, 3);
    });

    it('names the bad history parameter', async () => {
      const cases: [string, string][] = [
        [
          'from=yesterday',
          'querystring/from must be an ISO 8601 date-time with a zone, e.g. 2026-11-25T12:00:00Z',
        ],
        ['bucketS=ten', 'querystring/bucketS must be an integer'],
        ['bucketS=5', 'querystring/bucketS must be >= 60'],
        ['from=2026-11-25T10:00:00Z&to=2026-11-25T09:00:00Z', 'querystring/from must be before to'],
        ['from=2020-01-01T00:00:00Z&bucketS=60', 'querystring/from is too far before to: at most 366 days'],
        [
          'from=2026-06-01T00:00:00Z&bucketS=60',
          'querystring/bucketS is too small for the range (at most 10000 buckets)',
        ],
      ];
      for (const [query, message] of cases) {
        const res = await t.app.inject({ url: `/v1/coins/ETC/history?${query}` });
        assert.equal(res.statusCode, 400, query);
        assert.deepEqual(res.json(), { error: { code: 'SM_API_BAD_PARAMETER', message } }, query);
      }
    });
  });
}
