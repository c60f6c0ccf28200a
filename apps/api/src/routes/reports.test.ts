// Tests for proxy reports: miner stats (one bulk upsert) and switches (stored once per key) with a proxy token,
// read back at /v1/miners, /v1/switches and the decision log /v1/decisions.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SwitchReport } from '@smart-mining/api-contract';
import { testDatabases } from '@smart-mining/db/testing';
import { buildApp } from '../app.ts';
import { auth, openTestApp, type TestApp } from '../test-support.ts';

const miner = {
  miner: 'acct.rig1',
  poolKey: '2miners:ETC',
  profile: 'max-usd-coin',
  algorithm: 'etchash',
  agent: 'lolMiner/1.88',
  connectedAt: '2026-11-25T11:00:00Z',
  accepted: 10,
  rejected: 1,
  stale: 0,
  hashrateHs: 1e8,
  usdPerDay: 0.99,
};

const inputs = {
  thresholdFraction: 0.03,
  minDwellS: 600,
  algorithmSwitchCostS: 60,
  dwellS: 3600,
  marginFraction: 0.2,
  netMarginFraction: 0.08,
  expectedUsdPerDay: 1.2,
};

function aSwitch(key: string, at: string, fromPoolKey: string | null, toPoolKey: string): SwitchReport {
  return {
    idempotencyKey: key,
    at,
    account: 'acct',
    route: 'max-usd-coin|algorithms=etchash,kawpow',
    profile: 'max-usd-coin',
    fromPoolKey,
    toPoolKey,
    reason: `switching to ${toPoolKey}`,
    method: 'notify',
    miners: 3,
    inputs,
  };
}

for (const database of testDatabases()) {
  describe(`report routes (${database.name})`, () => {
    let t: TestApp;
    const post = (url: string, payload: object, headers = t.proxyAuth) =>
      t.app.inject({ method: 'POST', url, payload, headers });
    before(async () => {
      t = await openTestApp(database);
    });
    after(() => t.close());

    it('takes reports only with a proxy token: none or a wrong one 401, the admin token 403', async () => {
      const payload = { proxy: 'p1', miners: [miner] };
      const none = await t.app.inject({ method: 'POST', url: '/v1/reports/miners', payload });
      assert.equal(none.statusCode, 401);
      const wrong = await post(
        '/v1/reports/switches',
        { proxy: 'p1', switches: [] },
        { authorization: 'Bearer nope' },
      );
      assert.equal(wrong.statusCode, 401);
      const admin = await post('/v1/reports/miners', payload, auth);
      assert.equal(admin.statusCode, 403);
      assert.equal(admin.json().error.code, 'SM_API_FORBIDDEN');
      const raw = await post('/v1/reports/miners', payload, {
        authorization: t.proxyAuth.authorization.slice(7),
      });
      assert.equal(raw.statusCode, 401);
      // The token is checked before the body: a body that would not validate still gets 401 or 403.
      const bad = { proxy: 'p1', miners: [{ miner: 'x' }] };
      assert.equal(
        (await t.app.inject({ method: 'POST', url: '/v1/reports/miners', payload: bad })).statusCode,
        401,
      );
      assert.equal((await post('/v1/reports/miners', bad, auth)).statusCode, 403);
      assert.deepEqual((await t.app.inject({ url: '/v1/miners' })).json(), { miners: [] });
    });

    it('upserts miner stats in one write: a newer report replaces the counters', async () => {
      const first = await post('/v1/reports/miners', {
        proxy: 'p1',
        reportedAt: '2026-11-25T11:30:00Z',
        miners: [miner],
      });
      assert.equal(first.statusCode, 200);
      assert.deepEqual(first.json(), { stored: 1, duplicates: 0 });
      await post('/v1/reports/miners', {
        proxy: 'p1',
        miners: [
          { ...miner, accepted: 20 },
          { miner: 'acct.rig2', poolKey: '2miners:RVN', accepted: 3, rejected: 0, stale: 0 },
          // The same miner twice in one report: the last entry wins.
          { ...miner, accepted: 25, rejected: 2, stale: 1 },
        ],
      });
      // An older report arriving late does not overwrite newer counters.
      const late = await post('/v1/reports/miners', {
        proxy: 'p1',
        reportedAt: '2026-11-25T11:00:00Z',
        miners: [{ ...miner, accepted: 1 }],
      });
      assert.deepEqual(late.json(), { stored: 0, duplicates: 0 });
      const miners = (await t.app.inject({ url: '/v1/miners?proxy=p1' })).json().miners;
      assert.equal(miners.length, 2);
      assert.deepEqual(miners[0], {
        ...miner,
        proxy: 'p1',
        hardware: null,
        connectedAt: '2026-11-25T11:00:00.000Z',
        accepted: 25,
        rejected: 2,
        stale: 1,
        reportedAt: '2026-11-25T12:00:00.000Z',
      });
      assert.equal(miners[1].miner, 'acct.rig2');
      assert.equal(miners[1].profile, null);
      assert.equal(miners[1].agent, null);
      const recent = await t.app.inject({ url: '/v1/miners?since=2026-11-25T11:59:00Z&miner=acct.rig2' });
      assert.equal(recent.json().miners.length, 1);
      assert.equal((await t.app.inject({ url: '/v1/miners?proxy=p2' })).json().miners.length, 0);
    });

    it('stores five thousand miners of one report in one request', async () => {
      const many = Array.from({ length: 5000 }, (_, i) => ({ ...miner, miner: `bulk.rig${i}` }));
      const res = await post('/v1/reports/miners', { proxy: 'bulk', miners: many });
      assert.deepEqual(res.json(), { stored: 5000, duplicates: 0 });
      const [row] = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM miner_stats WHERE proxy = 'bulk'`,
      );
      assert.equal(row!.n, 5000);
    });

    it('names a bad field in a miner report', async () => {
      const cases: [object, string][] = [
        [{ ...miner, accepted: -1 }, 'body/miners/0/accepted must be >= 0'],
        [{ ...miner, accepted: 1e20 }, 'body/miners/0/accepted must be <= 9007199254740991'],
        [{ ...miner, miner: 'rig\u0000' }, 'body/miners/0/miner must not contain control characters'],
        [{ miner: 'x', accepted: 0, rejected: 0, stale: 0 }, 'body/miners/0/poolKey is required'],
        [
          { ...miner, shares: 3 },
          'body/miners/0/shares is not a known field (known: miner, poolKey, profile, hardware, algorithm, agent, connectedAt, accepted, rejected, stale, hashrateHs, usdPerDay)',
        ],
      ];
      for (const [entry, message] of cases) {
        const res = await post('/v1/reports/miners', { proxy: 'p1', miners: [entry] });
        assert.equal(res.statusCode, 400, message);
        assert.equal(res.json().error.message, message);
      }
      const future = await post('/v1/reports/miners', {
        proxy: 'p1',
        reportedAt: '9999-01-01T00:00:00Z',
        miners: [],
      });
      assert.equal(future.json().error.message, 'body/reportedAt is more than 600 s in the future');
    });

    it('logs a switch once: sent twice, or through a second API instance, or under another key', async () => {
      const s = aSwitch('9f2c1a7e-0001', '2026-11-25T11:00:00Z', '2miners:ETC', '2miners:RVN');
      const first = await post('/v1/reports/switches', { proxy: 'p1', switches: [s] });
      assert.deepEqual(first.json(), { stored: 1, duplicates: 0 });
      const again = await post('/v1/reports/switches', { proxy: 'p1', switches: [s, s] });
      assert.deepEqual(again.json(), { stored: 0, duplicates: 2 });
      const other = await buildApp({ db: t.db, ensureBuiltIns: false, now: t.clock.now });
      try {
        const viaOther = await other.inject({
          method: 'POST',
          url: '/v1/reports/switches',
          payload: { proxy: 'p1', switches: [{ ...s, idempotencyKey: '9f2c1a7e-0002' }] },
          headers: t.proxyAuth,
        });
        assert.deepEqual(viaOther.json(), { stored: 0, duplicates: 1 });
      } finally {
        await other.close();
      }
      const [row] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM switch_events');
      assert.equal(row!.n, 1);
    });

    it('lists switches newest first, filtered, and the decision log per route', async () => {
      await post('/v1/reports/switches', {
        proxy: 'p2',
        switches: [
          aSwitch('p2-switch-1', '2026-11-25T10:00:00Z', null, '2miners:ETC'),
          {
            ...aSwitch('p2-switch-2', '2026-11-25T11:30:00Z', '2miners:ETC', '2miners:RVN'),
            account: 'other',
          },
        ],
      });
      const all = (await t.app.inject({ url: '/v1/switches?proxy=p2' })).json().switches;
      assert.deepEqual(
        all.map((s: { at: string; toPoolKey: string }) => [s.at, s.toPoolKey]),
        [
          ['2026-11-25T11:30:00.000Z', '2miners:RVN'],
          ['2026-11-25T10:00:00.000Z', '2miners:ETC'],
        ],
      );
      assert.equal(all[1].fromPoolKey, null);
      assert.equal(all[0].method, 'notify');
      assert.equal(all[0].miners, 3);
      assert.deepEqual(all[0].inputs, inputs);
      assert.equal(all[0].receivedAt, '2026-11-25T12:00:00.000Z');
      const other = (await t.app.inject({ url: '/v1/switches?account=other' })).json().switches;
      assert.equal(other.length, 1);
      const window = (await t.app.inject({ url: '/v1/switches?proxy=p2&from=2026-11-25T10:30:00Z' })).json();
      assert.equal(window.switches.length, 1);
      assert.equal((await t.app.inject({ url: '/v1/switches?limit=1' })).json().switches.length, 1);
      const decisions = (
        await t.app.inject({ url: '/v1/decisions?route=max-usd-coin%7Calgorithms%3Detchash%2Ckawpow' })
      ).json().decisions;
      assert.equal(decisions.length, 3);
      assert.deepEqual(Object.keys(decisions[0]).sort(), [
        'at',
        'fromPoolKey',
        'id',
        'inputs',
        'profile',
        'reason',
        'route',
        'toPoolKey',
      ]);
    });

    it('names bad switch reports and parameters', async () => {
      const res = await t.app.inject({
        url: '/v1/switches?from=2026-11-25T11:00:00Z&to=2026-11-25T10:00:00Z',
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.message, 'querystring/from must be before to');
      const good = aSwitch('bad-cases-1', '2026-11-25T11:00:00Z', null, '2miners:ETC');
      const cases: [object, string][] = [
        [
          { ...good, at: 'now' },
          'body/switches/0/at must be an ISO 8601 date-time with a zone, e.g. 2026-11-25T12:00:00Z',
        ],
        [{ ...good, at: '9999-12-31T00:00:00Z' }, 'body/switches/0/at is more than 600 s in the future'],
        [{ ...good, at: '2020-01-01T00:00:00Z' }, 'body/switches/0/at is more than 30 days in the past'],
        [{ ...good, reason: 'a\u0000b' }, 'body/switches/0/reason must not contain control characters'],
        [
          { ...good, method: 'teleport' },
          'body/switches/0/method must be one of: notify, set_extranonce, reconnect, new_job, close, failover',
        ],
        [{ ...good, toPoolKey: 'ETC' }, 'body/switches/0/toPoolKey must be a pool key like 2miners:ETC'],
        [{ ...good, idempotencyKey: 'k' }, 'body/switches/0/idempotencyKey must have at least 8 characters'],
      ];
      for (const [entry, message] of cases) {
        const bad = await post('/v1/reports/switches', { proxy: 'p1', switches: [entry] });
        assert.equal(bad.statusCode, 400, message);
        assert.equal(bad.json().error.message, message);
      }
    });
  });
}
