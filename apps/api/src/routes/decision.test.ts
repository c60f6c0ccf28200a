// Tests for /v1/decision and /v1/decisions: candidates from the db, threshold and dwell, price basis, logging on change.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { notifyRankingsChanged } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import {
  approx,
  auth,
  insertCoinHistory,
  openTestApp,
  secondsBefore,
  seedMarket,
  T0,
  type TestApp,
} from '../test-support.ts';

interface DecisionBody {
  profile: string;
  route: string;
  chosen: { target: string; valueUsdPerDay: number; dataAgeS: number; hashrateHs: number } | null;
  switched: boolean;
  reason: string;
  dataAgeS: number | null;
  ranked: { target: string; valueUsdPerDay: number; dataAgeS: number }[];
  excluded: { target: string; why: string }[];
  loggedDecisionId: number | null;
}

const ago = (seconds: number) => secondsBefore(T0, seconds).toISOString();

for (const database of testDatabases()) {
  describe(`decision route (${database.name})`, () => {
    let t: TestApp;
    const ask = async (query: string): Promise<DecisionBody> => {
      const res = await t.app.inject({ url: `/v1/decision?${query}` });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };
    const logCount = async () =>
      (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM decisions'))[0]!.n;

    before(async () => {
      t = await openTestApp(database);
      await seedMarket(t.db);
    });
    after(() => t.close());

    it('starts a miner on the best pool for its algorithm and logs that change', async () => {
      const body = await ask('algorithms=etchash&hashrate=100e6');
      assert.equal(body.profile, 'max-usd-coin');
      assert.equal(body.route, 'max-usd-coin|algorithms=etchash');
      assert.equal(body.chosen?.target, '2miners:ETC');
      assert.ok(approx(body.chosen!.valueUsdPerDay, 0.99));
      assert.equal(body.switched, true);
      assert.equal(body.dataAgeS, 60);
      assert.deepEqual(
        body.ranked.map((r) => [r.target, r.dataAgeS]),
        [
          ['2miners:ETC', 60],
          ['nanopool:ETC', 120],
        ],
      );
      assert.equal(typeof body.loggedDecisionId, 'number');
      const [row] = await t.db.query<Record<string, unknown>>(
        `SELECT profile, route, previous_target, target, expected_usd_per_day, reason, inputs
         FROM decisions WHERE id = $1`,
        [body.loggedDecisionId],
      );
      assert.equal(row!.previous_target, null);
      assert.equal(row!.target, '2miners:ETC');
      assert.equal(row!.route, 'max-usd-coin|algorithms=etchash');
      assert.ok(approx(row!.expected_usd_per_day as number, 0.99));
      assert.equal(row!.reason, body.reason);
      const inputs = row!.inputs as { candidates: { target: string }[]; miner: { algorithms: unknown[] } };
      assert.deepEqual(inputs.candidates.map((c) => c.target).sort(), ['2miners:ETC', 'nanopool:ETC']);
      assert.deepEqual(inputs.miner.algorithms, [{ algorithm: 'etchash', hashrateHs: 100e6 }]);
    });

    it('does not log a decision that keeps the current target', async () => {
      const before = await logCount();
      const body = await ask(`algorithms=etchash&hashrate=100e6&current=2miners:ETC&since=${ago(3600)}`);
      assert.equal(body.chosen?.target, '2miners:ETC');
      assert.equal(body.switched, false);
      assert.equal(body.loggedDecisionId, null);
      assert.equal(await logCount(), before);
    });

    it('keeps the current target when the best beats it by less than the threshold', async () => {
      const before = await logCount();
      const body = await ask(`algorithms=etchash&hashrate=100e6&current=nanopool:ETC&since=${ago(3600)}`);
      assert.equal(body.ranked[0]!.target, '2miners:ETC');
      assert.equal(body.chosen?.target, 'nanopool:ETC');
      assert.equal(body.switched, false);
      assert.match(body.reason, /threshold/);
      assert.equal(await logCount(), before);
    });

    it('keeps the current target until the minimum dwell has passed, then switches and logs', async () => {
      const query = 'algorithms=etchash,kawpow&hashrate=100e6&current=2miners:ETC';
      const before = await logCount();
      const early = await ask(`${query}&since=${ago(100)}`);
      assert.equal(early.ranked[0]!.target, '2miners:RVN');
      assert.equal(early.chosen?.target, '2miners:ETC');
      assert.equal(early.switched, false);
      assert.match(early.reason, /dwell/);
      assert.equal(await logCount(), before);

      const later = await ask(`${query}&since=${ago(1000)}`);
      assert.equal(later.chosen?.target, '2miners:RVN');
      assert.ok(approx(later.chosen!.valueUsdPerDay, 2.97));
      assert.equal(later.switched, true);
      assert.equal(await logCount(), before + 1);
      const [row] = await t.db.query<{ previous_target: string; target: string; route: string }>(
        'SELECT previous_target, target, route FROM decisions WHERE id = $1',
        [later.loggedDecisionId],
      );
      assert.deepEqual(
        { ...row },
        {
          previous_target: '2miners:ETC',
          target: '2miners:RVN',
          route: 'max-usd-coin|algorithms=etchash,kawpow',
        },
      );
    });

    it("follows the device's best hashrate across algorithms (max-usd-hashrate)", async () => {
      const body = await ask('profile=max-usd-hashrate&hardware=nvidia-rtx-3080');
      assert.equal(body.chosen?.target, '2miners:RVN');
      assert.equal(body.chosen?.hashrateHs, 50e6);
      assert.ok(approx(body.chosen!.valueUsdPerDay, 1.485));
      assert.equal(body.route, 'max-usd-hashrate|hardware=nvidia-rtx-3080');
    });

    it("with hardware and algorithms, max-usd-coin ranks only the connection's algorithms", async () => {
      const body = await ask('hardware=nvidia-rtx-3080&algorithms=etchash');
      assert.equal(body.chosen?.target, '2miners:ETC');
      assert.ok(approx(body.chosen!.valueUsdPerDay, 0.99));
    });

    it('mines the fixed target with the fixed profile', async () => {
      const body = await ask('profile=fixed&algorithms=etchash,kawpow&hashrate=1e8');
      assert.equal(body.chosen?.target, '2miners:ETC');
    });

    it('values candidates on the 1 h average for a profile with that price basis', async () => {
      await insertCoinHistory(t.db, 'ETC', [
        { time: secondsBefore(T0, 1800), usdPerHsDay: 2e-8 },
        { time: secondsBefore(T0, 600), usdPerHsDay: 4e-8 },
        { time: secondsBefore(T0, 300), usdPerHsDay: 100e-8, trusted: false },
        { time: secondsBefore(T0, 7200), usdPerHsDay: 50e-8 },
      ]);
      const create = await t.app.inject({
        method: 'POST',
        url: '/v1/profiles',
        payload: {
          name: 'etc-avg',
          definition: { priceBasis: 'avg_1h', filters: { coins: { allow: ['ETC'] } } },
        },
        headers: auth,
      });
      assert.equal(create.statusCode, 201);
      const body = await ask('profile=etc-avg&algorithms=etchash,kawpow&hashrate=1e8');
      assert.equal(body.chosen?.target, '2miners:ETC');
      assert.ok(approx(body.chosen!.valueUsdPerDay, 2.97), String(body.chosen!.valueUsdPerDay));
      assert.deepEqual(body.excluded.map((e) => e.target).sort(), ['2miners:RVN']);
    });

    it('chooses nothing when nothing is eligible, says why, and logs nothing without a current target', async () => {
      const before = await logCount();
      const body = await ask('algorithms=randomx&hashrate=1e4');
      assert.equal(body.chosen, null);
      assert.equal(body.dataAgeS, null);
      assert.deepEqual(body.excluded, [{ target: 'nanopool:XMR', why: 'stale' }]);
      assert.match(body.reason, /^nothing eligible/);
      assert.equal(await logCount(), before);
    });

    it('leaves a current target it has no data for', async () => {
      const body = await ask(`algorithms=etchash&hashrate=1e8&current=gone:ETC&since=${ago(10)}`);
      assert.equal(body.chosen?.target, '2miners:ETC');
      assert.equal(body.switched, true);
      assert.equal(typeof body.loggedDecisionId, 'number');
    });

    it('lists logged decisions newest first, filtered by route', async () => {
      const res = await t.app.inject({ url: '/v1/decisions?route=max-usd-coin|algorithms=etchash,kawpow' });
      assert.equal(res.statusCode, 200);
      const decisions = res.json().decisions;
      assert.equal(decisions.length, 1);
      assert.equal(decisions[0].previousTarget, '2miners:ETC');
      assert.equal(decisions[0].target, '2miners:RVN');
      assert.equal(decisions[0].at, T0.toISOString());
      const all = (await t.app.inject({ url: '/v1/decisions' })).json().decisions;
      assert.equal(all.length, await logCount());
      assert.ok(all[0].id > all[all.length - 1].id);
    });

    it('never sends a miner to a pool with no known stratum endpoint', async () => {
      // A fee-free ETC pool would rank first, but the proxy could not connect to it.
      await t.db.query(
        `INSERT INTO pools (pool_key, pool, coin, fee_fraction, endpoints, observed_at, updated_at)
         VALUES ('nowhere:ETC', 'nowhere', 'ETC', 0, '[]', $1, $1)`,
        [T0],
      );
      // As after an ingest: the NOTIFY makes the API reload its market; wait until the pool is visible.
      await notifyRankingsChanged(t.db, T0);
      for (let i = 0; i < 200; i++) {
        if ((await t.app.inject({ url: '/v1/pools/nowhere:ETC' })).statusCode === 200) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.equal((await t.app.inject({ url: '/v1/pools/nowhere:ETC' })).statusCode, 200);
      const body = await ask('algorithms=etchash&hashrate=100e6&current=2miners:ETC');
      assert.equal(body.chosen?.target, '2miners:ETC');
      assert.ok(!body.ranked.some((r) => r.target === 'nowhere:ETC'));
      assert.ok(!body.excluded.some((r) => r.target === 'nowhere:ETC'));
      await t.db.query(`DELETE FROM pools WHERE pool_key = 'nowhere:ETC'`);
      await notifyRankingsChanged(t.db, T0);
    });

    it('names the bad parameter', async () => {
      const cases: [string, string][] = [
        ['', 'querystring/algorithms is required unless hardware is given'],
        ['algorithms=etchash&profile=nope', 'querystring/profile names no profile: nope'],
        ['algorithms=etchash&current=2miners:ETC&since=recently', 'querystring/since must be an ISO date'],
        [`algorithms=etchash&since=${ago(10)}`, 'querystring/since needs current'],
        ['algorithms=scrypto', 'querystring/algorithms has unknown algorithm(s): scrypto'],
        [
          'algorithms=etchash&hashrate=fast',
          'querystring/hashrate must be a positive number of H/s, or one per algorithm',
        ],
        ['hardware=nope', 'querystring/hardware is not a known device: nope'],
      ];
      for (const [query, message] of cases) {
        const res = await t.app.inject({ url: `/v1/decision?${query}` });
        assert.equal(res.statusCode, 400, query);
        assert.deepEqual(res.json(), { error: { code: 'SM_API_BAD_PARAMETER', message } }, query);
      }
    });
  });
}
