// Tests for /v1/decision: what a proxy needs in each target, threshold and dwell with their inputs, price
// basis, reasons an operator can act on, and no write of any kind.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ResponseOf } from '@smart-mining/api-contract';
import { testDatabases } from '@smart-mining/db/testing';
import {
  approx,
  auth,
  insertCoinHistory,
  marketChanged,
  openTestApp,
  secondsBefore,
  seedMarket,
  T0,
  type TestApp,
  waitFor,
} from '../test-support.ts';

type DecisionBody = ResponseOf<'decision'>;

const ago = (seconds: number) => secondsBefore(T0, seconds).toISOString();
const ENDPOINT = { host: 'pool.example', port: 4444, tls: false, dialect: 'ethereum-stratum' };

for (const database of testDatabases()) {
  describe(`decision route (${database.name})`, () => {
    let t: TestApp;
    const ask = async (query: string): Promise<DecisionBody> => {
      const res = await t.app.inject({ url: `/v1/decision?${query}` });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };

    before(async () => {
      t = await openTestApp(database, {}, seedMarket);
    });
    after(() => t.close());

    it('starts a miner on the best pool, with its fee and Stratum endpoints', async () => {
      const res = await t.app.inject({ url: '/v1/decision?algorithms=etchash&hashrateHs=100e6' });
      const body: DecisionBody = res.json();
      assert.equal(body.profile, 'max-usd-coin');
      assert.equal(body.route, 'max-usd-coin|algorithms=etchash');
      assert.deepEqual(
        { ...body.chosen!, revenueUsdPerDay: 0, valueUsdPerDay: 0 },
        {
          poolKey: '2miners:ETC',
          pool: '2miners',
          coin: 'ETC',
          algorithm: 'etchash',
          feeFraction: 0.01,
          endpoints: [ENDPOINT],
          hashrateHs: 100e6,
          revenueUsdPerDay: 0,
          costUsdPerDay: 0,
          valueUsdPerDay: 0,
          dataAgeS: 60,
        },
      );
      assert.ok(approx(body.chosen!.valueUsdPerDay, 0.99));
      assert.equal(body.switched, true);
      assert.equal(body.dataAgeS, 60);
      assert.equal(body.snapshotStale, false);
      assert.equal(typeof body.snapshotAgeS, 'number');
      assert.equal(res.headers['snapshot-age-s'], body.snapshotAgeS.toFixed(1));
      assert.deepEqual(
        body.ranked.map((r) => [r.poolKey, r.feeFraction, r.dataAgeS]),
        [
          ['2miners:ETC', 0.01, 60],
          ['nanopool:ETC', 0.02, 120],
        ],
      );
      assert.deepEqual(body.inputs, {
        thresholdFraction: 0.03,
        minDwellS: 600,
        algorithmSwitchCostS: 60,
        dwellS: null,
        marginFraction: null,
        netMarginFraction: null,
        expectedUsdPerDay: body.chosen!.valueUsdPerDay,
      });
      assert.match(body.reason, /^starting on ETC@2miners: ranks first of 2 eligible at 0\.9900 USD\/day$/);
    });

    it('keeps the current target below the threshold, and says by how much the best is above', async () => {
      const body = await ask(`algorithms=etchash&hashrateHs=100e6&current=nanopool:ETC&since=${ago(3600)}`);
      assert.equal(body.ranked[0]!.poolKey, '2miners:ETC');
      assert.equal(body.chosen?.poolKey, 'nanopool:ETC');
      assert.equal(body.switched, false);
      assert.equal(
        body.reason,
        'keeping ETC@nanopool: best ETC@2miners only 1.0 % above, below the 3 % threshold',
      );
      assert.equal(body.inputs.dwellS, 3600);
      assert.ok(approx(body.inputs.marginFraction!, 0.99 / 0.98 - 1));
      assert.equal(body.inputs.netMarginFraction, body.inputs.marginFraction);
    });

    it('keeps the current target until the minimum dwell has passed, then switches', async () => {
      const query = 'algorithms=etchash,kawpow&hashrateHs=100e6&current=2miners:ETC';
      const early = await ask(`${query}&since=${ago(100)}`);
      assert.equal(early.ranked[0]!.poolKey, '2miners:RVN');
      assert.equal(early.chosen?.poolKey, '2miners:ETC');
      assert.equal(early.switched, false);
      assert.match(early.reason, /^keeping ETC@2miners: dwell 100 s of 600 s \(best RVN@2miners /);
      assert.equal(early.inputs.dwellS, 100);

      const later = await ask(`${query}&since=${ago(1000)}`);
      assert.equal(later.chosen?.poolKey, '2miners:RVN');
      assert.ok(approx(later.chosen!.valueUsdPerDay, 2.97));
      assert.equal(later.switched, true);
      // 2.97 vs 0.99 USD/day, and 60 s of lost kawpow work over a 600 s horizon costs 10 % of 2.97.
      assert.ok(approx(later.inputs.marginFraction!, 2));
      assert.ok(approx(later.inputs.netMarginFraction!, (2.97 * 0.9 - 0.99) / 0.99));
    });

    it("follows the device's best hashrate across algorithms (max-usd-hashrate)", async () => {
      const body = await ask('profile=max-usd-hashrate&hardware=nvidia-rtx-3080');
      assert.equal(body.chosen?.poolKey, '2miners:RVN');
      assert.equal(body.chosen?.hashrateHs, 50e6);
      assert.ok(approx(body.chosen!.valueUsdPerDay, 1.485));
      assert.equal(body.route, 'max-usd-hashrate|hardware=nvidia-rtx-3080');
    });

    it("with hardware and algorithms, max-usd-coin ranks only the connection's algorithms", async () => {
      const body = await ask('hardware=nvidia-rtx-3080&algorithms=etchash');
      assert.equal(body.chosen?.poolKey, '2miners:ETC');
      assert.ok(approx(body.chosen!.valueUsdPerDay, 0.99));
    });

    it('mines the fixed target with the fixed profile', async () => {
      const body = await ask('profile=fixed&algorithms=etchash,kawpow&hashrateHs=1e8');
      assert.equal(body.chosen?.poolKey, '2miners:ETC');
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
      const body = await ask('profile=etc-avg&algorithms=etchash,kawpow&hashrateHs=1e8');
      assert.equal(body.chosen?.poolKey, '2miners:ETC');
      assert.ok(approx(body.chosen!.valueUsdPerDay, 2.97), String(body.chosen!.valueUsdPerDay));
      assert.deepEqual(body.excluded.map((e) => e.poolKey).sort(), ['2miners:RVN']);
    });

    it('chooses nothing when nothing is eligible, and says why', async () => {
      const body = await ask('algorithms=randomx&hashrateHs=1e4');
      assert.equal(body.chosen, null);
      assert.equal(body.dataAgeS, null);
      assert.deepEqual(body.excluded, [{ poolKey: 'nanopool:XMR', why: 'stale' }]);
      assert.match(body.reason, /^nothing eligible/);
    });

    it('says a current target the miner cannot mine is not mineable, not that it has no data', async () => {
      const body = await ask(`algorithms=etchash&hashrateHs=1e8&current=2miners:RVN&since=${ago(10)}`);
      assert.equal(body.chosen?.poolKey, '2miners:ETC');
      assert.equal(
        body.reason,
        'current RVN@2miners is not mineable: the miner has no kawpow hashrate: switching to ETC@2miners at 0.9900 USD/day',
      );
      const unknown = await ask(`algorithms=etchash&hashrateHs=1e8&current=gone:ETC&since=${ago(10)}`);
      assert.equal(unknown.switched, true);
      assert.match(unknown.reason, /^current ETC@gone is not in the market data \(an unknown pool key/);
    });

    it('at the default 1 H/s, values read in significant digits and the reason says how to fix it', async () => {
      const body = await ask('algorithms=etchash');
      assert.equal(
        body.reason,
        'starting on ETC@2miners: ranks first of 2 eligible at 9.90e-9 USD/day; values are per 1 H/s: ' +
          'give hashrateHs or hardware for the USD/day of this miner',
      );
    });

    it('never sends a miner to a pool with no known stratum endpoint', async () => {
      // A fee-free ETC pool would rank first, but the proxy could not connect to it.
      await t.db.query(
        `INSERT INTO pools (pool_key, pool, coin, fee_fraction, endpoints, observed_at, updated_at)
         VALUES ('nowhere:ETC', 'nowhere', 'ETC', 0, '[]', $1, $1)`,
        [T0],
      );
      await marketChanged(t.db);
      await waitFor(
        async () => (await t.app.inject({ url: '/v1/pools/nowhere:ETC' })).statusCode === 200,
        'the API to read the new pool after the event',
      );
      const body = await ask('algorithms=etchash&hashrateHs=100e6&current=2miners:ETC');
      assert.equal(body.chosen?.poolKey, '2miners:ETC');
      assert.ok(!body.ranked.some((r) => r.poolKey === 'nowhere:ETC'));
      assert.ok(!body.excluded.some((r) => r.poolKey === 'nowhere:ETC'));
      await t.db.query(`DELETE FROM pools WHERE pool_key = 'nowhere:ETC'`);
      await marketChanged(t.db);
    });

    it('names the bad parameter', async () => {
      const cases: [string, string][] = [
        ['', 'querystring/algorithms is required unless hardware is given'],
        ['algorithms=etchash&profile=nope', 'querystring/profile names no profile: nope'],
        [
          'algorithms=etchash&current=2miners:ETC&since=recently',
          'querystring/since must be an ISO 8601 date-time with a zone, e.g. 2026-11-25T12:00:00Z',
        ],
        [`algorithms=etchash&since=${ago(10)}`, 'querystring/since needs current'],
        ['algorithms=etchash&current=ETC', 'querystring/current must be a pool key like 2miners:ETC'],
        ['algorithms=scrypto', 'querystring/algorithms has unknown algorithm(s): scrypto'],
        [
          'algorithms=etchash&hashrateHs=fast',
          'querystring/hashrateHs must be H/s above 0 and at most 1e+21: one value, or one per algorithm',
        ],
        [
          'algorithms=etchash&hashrate=1e8',
          'querystring/hashrate is not a known parameter (known: profile, algorithms, hardware, hashrateHs, current, since)',
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
