// Tests for /v1/pools and /v1/hardware: listings with values, one item, history buckets, bad parameters.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabases } from '@smart-mining/db/testing';
import { openTestApp, seedMarket, type TestApp } from '../test-support.ts';

for (const database of testDatabases()) {
  describe(`pools and hardware routes (${database.name})`, () => {
    let t: TestApp;
    before(async () => {
      t = await openTestApp(database, {}, seedMarket);
      for (const [minute, hashrateHs, miners] of [
        [0, 1e12, 100],
        [10, 3e12, 101],
        [70, 5e12, 110],
      ] as const) {
        await t.db.query(
          `INSERT INTO pool_history (pool_key, time, fee_fraction, hashrate_hs, miners, workers)
           VALUES ('2miners:ETC', $1, 0.01, $2, $3, 7)`,
          [new Date(Date.UTC(2026, 10, 25, 10, minute)), hashrateHs, miners],
        );
      }
    });
    after(() => t.close());

    it('lists pools with their coin algorithm, fee, endpoints and data age', async () => {
      const res = await t.app.inject({ url: '/v1/pools' });
      assert.equal(res.statusCode, 200);
      const pools = res.json().pools as Record<string, unknown>[];
      assert.deepEqual(
        pools.map((p) => p.poolKey),
        ['2miners:ETC', '2miners:RVN', 'nanopool:ETC', 'nanopool:XMR'],
      );
      const nanopool = pools.find((p) => p.poolKey === 'nanopool:ETC')!;
      assert.equal(nanopool.pool, 'nanopool');
      assert.equal(nanopool.coin, 'ETC');
      assert.equal(nanopool.algorithm, 'etchash');
      assert.equal(nanopool.feeFraction, 0.02);
      assert.equal(nanopool.blockHeight, 21000000);
      assert.equal(nanopool.dataAgeS, 120);
      assert.deepEqual(nanopool.endpoints, [
        { host: 'pool.example', port: 4444, tls: false, dialect: 'ethereum-stratum' },
      ]);
    });

    it('filters pools by coin, algorithm and key', async () => {
      const keys = async (query: string) =>
        (await t.app.inject({ url: `/v1/pools?${query}` }))
          .json()
          .pools.map((p: { poolKey: string }) => p.poolKey);
      assert.deepEqual(await keys('coins=etc'), ['2miners:ETC', 'nanopool:ETC']);
      assert.deepEqual(await keys('algorithms=kawpow'), ['2miners:RVN']);
      assert.deepEqual(await keys('pools=nanopool:XMR,2miners:RVN'), ['2miners:RVN', 'nanopool:XMR']);
    });

    it('gets one pool by its key (with the colon) and 404s an unknown one', async () => {
      const res = await t.app.inject({ url: '/v1/pools/2miners:RVN' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().coin, 'RVN');
      assert.equal(res.json().algorithm, 'kawpow');
      assert.equal((await t.app.inject({ url: '/v1/pools/2miners%3AETC' })).json().poolKey, '2miners:ETC');
      assert.equal((await t.app.inject({ url: '/v1/pools/nope:ETC' })).statusCode, 404);
    });

    it('buckets pool history', async () => {
      const url =
        '/v1/pools/2miners:ETC/history?from=2026-11-25T10:00:00Z&to=2026-11-25T12:00:00Z&bucketS=3600';
      const res = await t.app.inject({ url });
      assert.equal(res.statusCode, 200);
      const [first, second, ...rest] = res.json().points;
      assert.equal(rest.length, 0);
      assert.equal(first.at, '2026-11-25T10:00:00.000Z');
      assert.equal(first.samples, 2);
      assert.deepEqual(first.hashrateHs, { avg: 2e12, min: 1e12, max: 3e12 });
      assert.deepEqual(first.miners, { avg: 100.5, min: 100, max: 101 });
      assert.deepEqual(second.hashrateHs, { avg: 5e12, min: 5e12, max: 5e12 });
      assert.deepEqual(second.usdPerHsDay, { avg: null, min: null, max: null });
    });

    it('names a bad pool history parameter', async () => {
      const res = await t.app.inject({ url: '/v1/pools/2miners:ETC/history?to=soon' });
      assert.equal(res.statusCode, 400);
      assert.equal(
        res.json().error.message,
        'querystring/to must be an ISO 8601 date-time with a zone, e.g. 2026-11-25T12:00:00Z',
      );
    });

    it('lists hardware with its mining performance, best revenue first', async () => {
      const res = await t.app.inject({ url: '/v1/hardware' });
      assert.equal(res.statusCode, 200);
      const [device, ...others] = res.json().hardware;
      assert.equal(others.length, 0);
      assert.equal(device.hardware, 'nvidia-rtx-3080');
      assert.equal(device.kind, 'gpu');
      assert.equal(device.vendor, 'NVIDIA');
      assert.deepEqual(
        device.mining.map((m: { algorithm: string; hashrateHs: number; powerW: number }) => [
          m.algorithm,
          m.hashrateHs,
          m.powerW,
        ]),
        [
          ['autolykos2', 200e6, 250],
          ['kawpow', 50e6, 300],
          ['etchash', 100e6, 230],
        ],
      );
    });

    it('filters hardware by kind, vendor and algorithm; gets one device', async () => {
      const count = async (query: string) =>
        (await t.app.inject({ url: `/v1/hardware?${query}` })).json().hardware.length;
      assert.equal(await count('kinds=gpu&vendors=nvidia'), 1);
      assert.equal(await count('kinds=asic'), 0);
      assert.equal(await count('algorithms=sha256d'), 0);
      assert.equal(await count('algorithms=etchash'), 1);
      const one = await t.app.inject({ url: '/v1/hardware/nvidia-rtx-3080' });
      assert.equal(one.json().mining.length, 3);
      assert.equal((await t.app.inject({ url: '/v1/hardware/nope' })).statusCode, 404);
    });

    it('names a bad hardware kind', async () => {
      const res = await t.app.inject({ url: '/v1/hardware?kinds=gpu,quantum' });
      assert.equal(res.statusCode, 400);
      assert.equal(
        res.json().error.message,
        'querystring/kinds must list gpu, cpu, asic, fpga; unknown: quantum',
      );
    });
  });
}
