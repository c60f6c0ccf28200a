// The contract suite: every route with valid input, over HTTP, each answer validated against the published
// OpenAPI document (GET /docs/json), on every test database.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ROUTES, type RouteName } from '@smart-mining/api-contract';
import type { Db } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { connectSse } from '@smart-mining/testkit';
import {
  auth,
  insertCoinHistory,
  insertSourceRun,
  openTestApp,
  secondsBefore,
  seedMarket,
  T0,
  type TestApp,
} from '../test-support.ts';
import { type OpenApiDocument, OpenApiValidator } from './openapi-validator.ts';

interface Call {
  route: RouteName;
  url: string;
  status: number;
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

const iso = (seconds: number) => secondsBefore(T0, seconds).toISOString();
const INPUTS = {
  thresholdFraction: 0.03,
  minDwellS: 600,
  algorithmSwitchCostS: 60,
  dwellS: 700,
  marginFraction: 0.5,
  netMarginFraction: 0.4,
  expectedUsdPerDay: 2.97,
};

async function seed(db: Db): Promise<void> {
  await seedMarket(db);
  const hours = [1, 2, 3, 4].map((h) => ({
    time: secondsBefore(T0, h * 1800),
    usdPerHsDay: h * 1e-8,
    priceUsd: 20,
  }));
  await insertCoinHistory(db, 'ETC', hours);
  await insertCoinHistory(db, 'RVN', hours);
  for (const [i, at] of [iso(3600), iso(1800)].entries()) {
    await db.query(
      `INSERT INTO pool_history (pool_key, time, fee_fraction, hashrate_hs, miners, workers, usd_per_hs_day)
       VALUES ('2miners:ETC', $1, 0.01, $2, 100, 200, 1e-8)`,
      [at, 1e12 * (i + 1)],
    );
  }
  await insertSourceRun(db, { source: 'binance', startedAt: secondsBefore(T0, 120), ok: true, rows: 12 });
}

/** One call per route at least, each with valid input; the order matters for the writes (create before update). */
function calls(proxyAuth: Record<string, string>): Call[] {
  const json = { 'content-type': 'application/json' };
  const miner = {
    miner: 'acct.rig1',
    poolKey: '2miners:ETC',
    accepted: 5,
    rejected: 0,
    stale: 0,
    hashrateHs: 1e8,
  };
  const switchReport = {
    idempotencyKey: 'contract-switch-1',
    at: iso(60),
    account: 'acct',
    route: 'max-usd-coin|algorithms=etchash,kawpow',
    profile: 'max-usd-coin',
    fromPoolKey: '2miners:ETC',
    toPoolKey: '2miners:RVN',
    reason: 'RVN@2miners 200.0 % above current ETC@2miners',
    method: 'notify',
    miners: 2,
    inputs: INPUTS,
  };
  return [
    { route: 'index', url: '/v1', status: 200 },
    { route: 'coins', url: '/v1/coins', status: 200 },
    { route: 'coins', url: '/v1/coins?coins=etc,RVN&algorithms=KawPow,etchash', status: 200 },
    { route: 'coin', url: '/v1/coins/ETC', status: 200 },
    {
      route: 'coinHistory',
      url: `/v1/coins/ETC/history?from=${iso(7200)}&to=${T0.toISOString()}&bucketS=1800`,
      status: 200,
    },
    { route: 'coinHistory', url: '/v1/coins/RVN/history', status: 200 },
    { route: 'pools', url: '/v1/pools', status: 200 },
    { route: 'pools', url: '/v1/pools?pools=2miners:ETC&coins=ETC&algorithms=etchash', status: 200 },
    { route: 'pool', url: '/v1/pools/2miners:ETC', status: 200 },
    { route: 'poolHistory', url: '/v1/pools/2miners:ETC/history?bucketS=600', status: 200 },
    { route: 'hardwareList', url: '/v1/hardware', status: 200 },
    { route: 'hardwareList', url: '/v1/hardware?kinds=gpu&vendors=nvidia&algorithms=etchash', status: 200 },
    { route: 'hardware', url: '/v1/hardware/nvidia-rtx-3080', status: 200 },
    { route: 'ranking', url: '/v1/ranking', status: 200 },
    {
      route: 'ranking',
      url: '/v1/ranking?hardware=nvidia-rtx-3080&electricityUsdPerKwh=0.12&includeStale=true&limit=5',
      status: 200,
    },
    { route: 'decision', url: '/v1/decision?algorithms=etchash', status: 200 },
    {
      route: 'decision',
      url: `/v1/decision?algorithms=etchash,kawpow&hashrateHs=1e8,5e7&current=2miners:ETC&since=${iso(100)}`,
      status: 200,
    },
    {
      route: 'decision',
      url: `/v1/decision?profile=max-usd-hashrate&hardware=nvidia-rtx-3080&current=nanopool:ETC&since=${iso(9000)}`,
      status: 200,
    },
    { route: 'decision', url: '/v1/decision?algorithms=randomx&hashrateHs=1e4', status: 200 },
    {
      route: 'backtest',
      url: `/v1/backtest?algorithms=etchash,kawpow&hashrateHs=1e8&from=${iso(7200)}&to=${T0.toISOString()}&stepS=600`,
      status: 200,
    },
    { route: 'profiles', url: '/v1/profiles', status: 200 },
    { route: 'profile', url: '/v1/profiles/max-usd-coin', status: 200 },
    {
      route: 'profileCreate',
      method: 'POST',
      url: '/v1/profiles',
      status: 201,
      headers: { ...auth, ...json },
      body: {
        name: 'contract',
        definition: { objective: 'profit', electricityUsdPerKwh: 0.1, scope: 'hardware' },
      },
    },
    {
      route: 'profileUpdate',
      method: 'PUT',
      url: '/v1/profiles/contract',
      status: 200,
      headers: { ...auth, ...json, 'if-match': '"1"' },
      body: { definition: { filters: { pools: { deny: ['nanopool'] } } } },
    },
    { route: 'decision', url: '/v1/decision?profile=contract&hardware=nvidia-rtx-3080', status: 200 },
    { route: 'profileDelete', method: 'DELETE', url: '/v1/profiles/contract', status: 204, headers: auth },
    {
      route: 'minersReport',
      method: 'POST',
      url: '/v1/reports/miners',
      status: 200,
      headers: { ...proxyAuth, ...json },
      body: {
        proxy: 'proxy-1',
        reportedAt: iso(10),
        miners: [miner, { ...miner, miner: 'acct.rig2', usdPerDay: 0.5 }],
      },
    },
    {
      route: 'switchesReport',
      method: 'POST',
      url: '/v1/reports/switches',
      status: 200,
      headers: { ...proxyAuth, ...json },
      body: { proxy: 'proxy-1', switches: [switchReport] },
    },
    { route: 'miners', url: '/v1/miners?proxy=proxy-1', status: 200 },
    { route: 'switches', url: '/v1/switches?proxy=proxy-1&account=acct', status: 200 },
    { route: 'decisions', url: `/v1/decisions?profile=max-usd-coin&from=${iso(3600)}&limit=10`, status: 200 },
    { route: 'health', url: '/health', status: 200 },
    { route: 'sources', url: '/v1/sources', status: 200 },
    { route: 'metrics', url: '/metrics', status: 200 },
  ];
}

for (const database of testDatabases()) {
  describe(`API contract: every route against the published OpenAPI document (${database.name})`, () => {
    let t: TestApp;
    let base: string;
    let validator: OpenApiValidator;

    before(async () => {
      t = await openTestApp(database, {}, seed);
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      const doc = (await (await fetch(`${base}/docs/json`)).json()) as OpenApiDocument;
      assert.equal(doc.openapi, '3.1.0');
      validator = new OpenApiValidator(doc);
    });
    after(() => t.close());

    it('answers every route as documented', async () => {
      const covered = new Set<RouteName>();
      for (const call of calls(t.proxyAuth)) {
        const res = await fetch(base + call.url, {
          method: call.method ?? 'GET',
          headers: call.headers,
          body: call.body === undefined ? undefined : JSON.stringify(call.body),
        });
        const text = await res.text();
        assert.equal(res.status, call.status, `${call.url}: ${text.slice(0, 300)}`);
        const contentType = res.headers.get('content-type');
        const isJson = contentType?.startsWith('application/json');
        validator.check(
          call.route,
          res.status,
          text === '' ? null : contentType,
          isJson ? JSON.parse(text) : text,
        );
        covered.add(call.route);
      }
      const events = await connectSse(`${base}/v1/events`);
      assert.equal(events.response.statusCode, 200);
      validator.check('events', 200, events.response.headers['content-type'] ?? null, events.text());
      events.close();
      covered.add('events');
      const missing = (Object.keys(ROUTES) as RouteName[]).filter((r) => !covered.has(r));
      assert.deepEqual(missing, [], 'every route of the contract was called');
    });

    it('refuses an answer that breaks the document (the check can fail)', async () => {
      const coin = (await (await fetch(`${base}/v1/coins/ETC`)).json()) as Record<string, unknown>;
      assert.throws(() => validator.check('coin', 200, 'application/json', { ...coin, priceUsd: 'twenty' }));
      assert.throws(() => validator.check('coin', 200, 'application/json', { ...coin, extra: 1 }));
      assert.throws(() => validator.check('coin', 200, 'text/html', coin));
      assert.throws(() => validator.check('coin', 418, 'application/json', coin));
    });

    it('documents every route of the contract with its query parameters, and only those', async () => {
      const doc = (await (await fetch(`${base}/docs/json`)).json()) as {
        paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
      };
      for (const [name, route] of Object.entries(ROUTES)) {
        const operation = doc.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
        assert.ok(operation, name);
        const documented = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
        const declared =
          'querystring' in route && route.querystring ? Object.keys(route.querystring.shape) : [];
        assert.deepEqual(documented.sort(), declared.sort(), name);
      }
    });
  });
}
