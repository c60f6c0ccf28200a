// Tests for /health (fresh, stale and failed sources; 503 when the db is down), /metrics, /docs and error bodies.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabases } from '@smart-mining/db/testing';
import {
  auth,
  insertSourceRun,
  openTestApp,
  secondsBefore,
  seedMarket,
  T0,
  type TestApp,
} from '../test-support.ts';

for (const database of testDatabases()) {
  describe(`health, metrics and docs (${database.name})`, () => {
    let t: TestApp;
    before(async () => {
      t = await openTestApp(database, { health: { sourceMaxAgeS: 3600 } });
    });
    after(() => t.close());

    it('answers /v1 with the API name and where the docs are', async () => {
      const res = await t.app.inject({ url: '/v1' });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { name: 'smart-mining', version: '1', docs: '/docs' });
    });

    it('is ok with a reachable database, a listening event stream and no sources yet', async () => {
      const res = await t.app.inject({ url: '/health' });
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.status, 'ok');
      assert.equal(body.database.reachable, true);
      assert.equal(typeof body.database.latencyMs, 'number');
      assert.equal(body.events.listening, true);
      assert.equal(body.snapshot.stale, false);
      assert.deepEqual(body.sources, []);
    });

    it('reports each source age and flags stale ones (degraded, still 200)', async () => {
      await insertSourceRun(t.db, {
        source: 'binance',
        startedAt: secondsBefore(T0, 122),
        ok: true,
        rows: 12,
      });
      await insertSourceRun(t.db, {
        source: 'coingecko',
        startedAt: secondsBefore(T0, 7202),
        ok: true,
        rows: 9,
      });
      await insertSourceRun(t.db, {
        source: 'coingecko',
        startedAt: secondsBefore(T0, 60),
        ok: false,
        error: 'HTTP 429',
      });
      await insertSourceRun(t.db, {
        source: 'whattomine',
        startedAt: secondsBefore(T0, 60),
        ok: false,
        error: 'down',
      });
      const res = await t.app.inject({ url: '/health' });
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.status, 'degraded');
      assert.equal(body.sourceMaxAgeS, 3600);
      assert.deepEqual(body.sources, [
        {
          source: 'binance',
          lastRunAt: '2026-11-25T11:57:58.000Z',
          lastRunOk: true,
          lastError: null,
          lastOkAt: '2026-11-25T11:58:00.000Z',
          lastOkAgeS: 120,
          stale: false,
        },
        {
          source: 'coingecko',
          lastRunAt: '2026-11-25T11:59:00.000Z',
          lastRunOk: false,
          lastError: 'HTTP 429',
          lastOkAt: '2026-11-25T10:00:00.000Z',
          lastOkAgeS: 7200,
          stale: true,
        },
        {
          source: 'whattomine',
          lastRunAt: '2026-11-25T11:59:00.000Z',
          lastRunOk: false,
          lastError: 'down',
          lastOkAt: null,
          lastOkAgeS: null,
          stale: true,
        },
      ]);
    });

    it('serves Prometheus metrics with request durations by route template', async () => {
      await t.app.inject({ url: '/v1/coins/NOPE' });
      await t.app.inject({ url: '/v1/coins/NADA' });
      const res = await t.app.inject({ url: '/metrics' });
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /^text\/plain/);
      assert.match(
        res.body,
        /sm_api_http_request_duration_seconds_count\{method="GET",route="\/v1\/coins\/:coin",status_code="404"\} 2/,
      );
      assert.match(
        res.body,
        /sm_api_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/health"/,
      );
      assert.match(res.body, /^sm_api_event_listener_connected 1$/m);
      assert.match(res.body, /^sm_api_snapshot_stale 0$/m);
      assert.match(res.body, /^sm_api_snapshot_age_seconds \d/m);
      assert.match(res.body, /^sm_db_pool_connections\{state="max"\} \d+$/m);
      assert.match(res.body, /^sm_api_heavy_reads\{state="running"\} 0$/m);
    });

    it('serves the OpenAPI document and the UI at /docs', async () => {
      const res = await t.app.inject({ url: '/docs/json' });
      assert.equal(res.statusCode, 200);
      const doc = res.json();
      assert.equal(doc.openapi, '3.1.0');
      for (const path of [
        '/v1/coins',
        '/v1/coins/{coin}/history',
        '/v1/pools/{poolKey}',
        '/v1/hardware',
        '/v1/ranking',
        '/v1/decision',
        '/v1/profiles/{name}',
        '/v1/reports/miners',
        '/v1/events',
        '/health',
      ]) {
        assert.ok(doc.paths[path], path);
      }
      const historyParams = doc.paths['/v1/coins/{coin}/history'].get.parameters.map(
        (p: { name: string }) => p.name,
      );
      assert.deepEqual(historyParams.sort(), ['bucketS', 'coin', 'from', 'to']);
      assert.deepEqual(doc.paths['/v1/profiles'].post.security, [{ adminToken: [] }]);
      assert.deepEqual(doc.paths['/v1/reports/switches'].post.security, [{ proxyToken: [] }]);
      const ui = await t.app.inject({ url: '/docs/' });
      assert.equal(ui.statusCode, 200);
      assert.match(ui.body, /swagger/i);
    });

    it('answers unknown routes, bad bodies and wrong media types in the error format', async () => {
      const missing = await t.app.inject({ url: '/v1/nope?x=1' });
      assert.equal(missing.statusCode, 404);
      assert.deepEqual(missing.json(), {
        error: { code: 'SM_API_NOT_FOUND', message: 'route GET /v1/nope not found' },
      });
      const badJson = await t.app.inject({
        method: 'POST',
        url: '/v1/profiles',
        payload: '{"name":',
        headers: { ...auth, 'content-type': 'application/json' },
      });
      assert.equal(badJson.statusCode, 400);
      assert.equal(badJson.json().error.code, 'SM_API_BAD_REQUEST');
      const text = await t.app.inject({
        method: 'POST',
        url: '/v1/profiles',
        payload: '<profile/>',
        headers: { ...auth, 'content-type': 'application/xml' },
      });
      assert.equal(text.statusCode, 415);
      assert.equal(text.json().error.code, 'SM_API_UNSUPPORTED_MEDIA_TYPE');
    });
  });

  describe(`health with the database gone (${database.name})`, () => {
    it('says so (degraded, 200), decisions and market reads answer from the snapshot, history 503s', async () => {
      const t = await openTestApp(database, {}, seedMarket);
      await t.db.close();
      try {
        const res = await t.app.inject({ url: '/health' });
        assert.equal(res.statusCode, 200);
        const body = res.json();
        assert.equal(body.status, 'degraded');
        assert.equal(body.database.reachable, false);
        assert.equal(typeof body.snapshot.ageS, 'number');
        const coins = await t.app.inject({ url: '/v1/coins' });
        assert.equal(coins.statusCode, 200);
        assert.ok(coins.headers['snapshot-age-s']);
        const decision = await t.app.inject({ url: '/v1/decision?algorithms=etchash&hashrateHs=1e8' });
        assert.equal(decision.json().chosen.poolKey, '2miners:ETC');
        const history = await t.app.inject({ url: '/v1/coins/ETC/history' });
        assert.equal(history.statusCode, 503);
        assert.deepEqual(history.json(), {
          error: { code: 'SM_API_DATABASE_UNAVAILABLE', message: 'the database cannot be reached' },
        });
      } finally {
        await t.app.close();
      }
    });
  });
}
