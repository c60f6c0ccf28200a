// Tests for proxy reports: miner stats upserted and switches stored (token), then read at /v1/miners and /v1/switches.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabases } from '@smart-mining/db/testing';
import { auth, openTestApp, type TestApp } from '../test-support.ts';

const miner = {
  miner: 'acct.rig1',
  poolKey: '2miners:ETC',
  profile: 'max-usd-coin',
  algorithm: 'etchash',
  connectedAt: '2026-11-25T11:00:00Z',
  accepted: 10,
  rejected: 1,
  stale: 0,
  hashrateHs: 1e8,
  usdPerDay: 0.99,
};

for (const database of testDatabases()) {
  describe(`report routes (${database.name})`, () => {
    let t: TestApp;
    before(async () => {
      t = await openTestApp(database);
    });
    after(() => t.close());

    it('refuses reports without the token', async () => {
      const payload = { proxy: 'p1', miners: [miner] };
      const res = await t.app.inject({ method: 'POST', url: '/v1/reports/miners', payload });
      assert.equal(res.statusCode, 401);
      const wrong = await t.app.inject({
        method: 'POST',
        url: '/v1/reports/switches',
        payload: { proxy: 'p1', switches: [] },
        headers: { authorization: 'Bearer nope' },
      });
      assert.equal(wrong.statusCode, 401);
      assert.deepEqual((await t.app.inject({ url: '/v1/miners' })).json(), { miners: [] });
    });

    it('upserts miner stats: a newer report replaces the counters', async () => {
      const post = (payload: object) =>
        t.app.inject({ method: 'POST', url: '/v1/reports/miners', payload, headers: auth });
      const first = await post({ proxy: 'p1', reportedAt: '2026-11-25T11:30:00Z', miners: [miner] });
      assert.equal(first.statusCode, 200);
      assert.deepEqual(first.json(), { stored: 1 });
      await post({
        proxy: 'p1',
        miners: [
          { ...miner, accepted: 25, rejected: 2, stale: 1 },
          { miner: 'acct.rig2', poolKey: '2miners:RVN', accepted: 3, rejected: 0, stale: 0 },
        ],
      });
      // An older report arriving late does not overwrite newer counters.
      await post({ proxy: 'p1', reportedAt: '2026-11-25T11:00:00Z', miners: [{ ...miner, accepted: 1 }] });
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
      const recent = await t.app.inject({ url: '/v1/miners?since=2026-11-25T11:59:00Z&miner=acct.rig2' });
      assert.equal(recent.json().miners.length, 1);
      assert.equal((await t.app.inject({ url: '/v1/miners?proxy=p2' })).json().miners.length, 0);
    });

    it('names a bad field in a miner report', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/reports/miners',
        payload: { proxy: 'p1', miners: [{ ...miner, accepted: -1 }] },
        headers: auth,
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.message, 'body/miners/0/accepted must be >= 0');
      const missing = await t.app.inject({
        method: 'POST',
        url: '/v1/reports/miners',
        payload: { proxy: 'p1', miners: [{ miner: 'x', accepted: 0, rejected: 0, stale: 0 }] },
        headers: auth,
      });
      assert.equal(missing.json().error.message, 'body/miners/0/poolKey is required');
    });

    it('stores switches and lists them newest first, filtered', async () => {
      const switches = [
        {
          at: '2026-11-25T10:00:00Z',
          miner: 'acct.rig1',
          fromTarget: null,
          toTarget: '2miners:ETC',
          reason: 'start',
        },
        {
          at: '2026-11-25T11:00:00Z',
          miner: 'acct.rig1',
          fromTarget: '2miners:ETC',
          toTarget: '2miners:RVN',
          reason: 'RVN 20 % above',
        },
        { at: '2026-11-25T11:30:00Z', miner: 'acct.rig2', toTarget: '2miners:RVN', reason: 'start' },
      ];
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/reports/switches',
        payload: { proxy: 'p1', switches },
        headers: auth,
      });
      assert.deepEqual(res.json(), { stored: 3 });
      const all = (await t.app.inject({ url: '/v1/switches' })).json().switches;
      assert.deepEqual(
        all.map((s: { at: string; toTarget: string }) => [s.at, s.toTarget]),
        [
          ['2026-11-25T11:30:00.000Z', '2miners:RVN'],
          ['2026-11-25T11:00:00.000Z', '2miners:RVN'],
          ['2026-11-25T10:00:00.000Z', '2miners:ETC'],
        ],
      );
      assert.equal(all[0].fromTarget, null);
      assert.equal(all[1].fromTarget, '2miners:ETC');
      assert.equal(all[1].proxy, 'p1');
      assert.equal(typeof all[1].id, 'number');
      const rig1 = (
        await t.app.inject({ url: '/v1/switches?miner=acct.rig1&from=2026-11-25T10:30:00Z' })
      ).json();
      assert.equal(rig1.switches.length, 1);
      assert.equal(rig1.switches[0].reason, 'RVN 20 % above');
      assert.equal((await t.app.inject({ url: '/v1/switches?limit=1' })).json().switches.length, 1);
    });

    it('names bad switch parameters', async () => {
      const res = await t.app.inject({
        url: '/v1/switches?from=2026-11-25T11:00:00Z&to=2026-11-25T10:00:00Z',
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.message, 'querystring/from must be before to');
      const bad = await t.app.inject({
        method: 'POST',
        url: '/v1/reports/switches',
        payload: { proxy: 'p1', switches: [{ at: 'now', miner: 'm', toTarget: 'x', reason: 'r' }] },
        headers: auth,
      });
      assert.equal(bad.json().error.message, 'body/switches/0/at must be an ISO date');
    });
  });
}
