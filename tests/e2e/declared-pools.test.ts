// Pools the operator declares, over the replayed market: rows and history like any pool's, valued net of the
// declared fee from their coin, a source's pool given the declared endpoints, and a decision that picks one.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Aggregator } from '@smart-mining/aggregator';
import { buildApp } from '@smart-mining/api';
import type { ResponseOf } from '@smart-mining/api-contract';
import type { Db } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { silentLogger } from '@smart-mining/platform';
import { type ReplayServer, scaleCoinPrice, startReplayServer } from '@smart-mining/testkit';
import type { FastifyInstance } from 'fastify';
import { buildAggregator } from '../../apps/cli/src/compose.ts';
import { replayConfig, SNAPSHOT_NOW } from './support.ts';

const POOLS = [
  {
    key: 'viabtc:LTC',
    coin: 'LTC',
    algorithm: 'scrypt',
    feeFraction: 0.02,
    urls: ['stratum+tcp://ltc.viabtc.io:3333', 'stratum+ssl://ltc.viabtc.io:553'],
  },
  {
    key: 'f2pool:DOGE',
    coin: 'DOGE',
    algorithm: 'scrypt',
    feeFraction: 0.03,
    urls: ['stratum+tcp://doge.f2pool.com:5599'],
  },
  {
    key: 'viabtc:BTC',
    coin: 'BTC',
    algorithm: 'sha256d',
    feeFraction: 0.02,
    urls: ['stratum+tcp://btc.viabtc.io:3333'],
  },
  // No source quotes BCH: a row, never a choice.
  {
    key: 'antpool:BCH',
    coin: 'BCH',
    algorithm: 'sha256d',
    feeFraction: 0,
    urls: ['stratum+tcp://bch.antpool.com:3333'],
  },
  // A pool 2Miners lists, its endpoints and fee replaced.
  {
    key: '2miners:ETC',
    coin: 'ETC',
    algorithm: 'etchash',
    feeFraction: 0.005,
    urls: ['stratum+ssl://etc-proxy.example.net:1443'],
  },
];

interface PoolDbRow {
  pool_key: string;
  fee_fraction: number;
  usd_per_hs_day: number | null;
  endpoints: unknown[];
  stale: boolean;
  healthy: boolean;
  sources: Record<string, unknown>;
}

const close = (actual: number | null | undefined, expected: number, what: string) =>
  assert.ok(
    typeof actual === 'number' && Math.abs(actual - expected) <= Math.abs(expected) * 1e-9,
    `${what}: ${actual}, expected ${expected}`,
  );

for (const database of testDatabases()) {
  describe(`declared pools on ${database.name}`, () => {
    let server: ReplayServer;
    let db: Db;
    let aggregator: Aggregator;
    let clock = SNAPSHOT_NOW;
    let warnings: string[] = [];

    const pool = async (key: string) =>
      (await db.query<PoolDbRow>('SELECT * FROM pools WHERE pool_key = $1', [key]))[0];
    const coinValue = async (coin: string) =>
      (await db.query<{ u: number }>('SELECT usd_per_hs_day AS u FROM coins WHERE coin = $1', [coin]))[0]?.u;
    const history = (key: string) =>
      db.query<{ time: Date; usd_per_hs_day: number | null }>(
        'SELECT time, usd_per_hs_day FROM pool_history WHERE pool_key = $1 ORDER BY time',
        [key],
      );

    before(async () => {
      server = await startReplayServer();
      db = await database.open();
      const config = replayConfig(server, {}, { pools: POOLS });
      aggregator = buildAggregator(config, db, silentLogger, { now: () => clock, fetch: server.fetch });
      warnings = (await aggregator.runOnce()).ingest?.warnings ?? [];
    });
    after(async () => {
      await db?.close();
      await server?.close();
    });

    it('writes a row per declared pool, valued from its coin net of the declared fee, fresh with its coin', async () => {
      for (const [key, coin, fee] of [
        ['viabtc:LTC', 'LTC', 0.02],
        ['f2pool:DOGE', 'DOGE', 0.03],
        ['viabtc:BTC', 'BTC', 0.02],
      ] as const) {
        const row = await pool(key);
        assert.ok(row, `${key} has a row`);
        const usd = await coinValue(coin);
        assert.ok(usd && usd > 0, `${coin} has a market value from the fixtures`);
        close(row.usd_per_hs_day, usd * (1 - fee), key);
        assert.equal(row.fee_fraction, fee);
        assert.deepEqual([row.stale, row.healthy], [false, true], key);
        assert.deepEqual(Object.keys(row.sources), ['declared']);
        assert.equal((await history(key)).length, 1, `${key} history`);
      }
      assert.deepEqual((await pool('viabtc:LTC'))!.endpoints, [
        { host: 'ltc.viabtc.io', port: 3333, tls: false, dialect: 'stratum-v1' },
        { host: 'ltc.viabtc.io', port: 553, tls: true, dialect: 'stratum-v1' },
      ]);
    });

    it('gives a source-listed pool the declared endpoints and fee, keeping what its source reports', async () => {
      const row = (await pool('2miners:ETC'))!;
      assert.deepEqual(row.endpoints, [
        { host: 'etc-proxy.example.net', port: 1443, tls: true, dialect: 'ethereum-stratum' },
      ]);
      assert.equal(row.fee_fraction, 0.005);
      close(row.usd_per_hs_day, (await coinValue('ETC'))! * 0.995, '2miners:ETC');
      assert.ok('2miners' in row.sources && 'declared' in row.sources, JSON.stringify(row.sources));
      const [{ hashrate_hs } = { hashrate_hs: null }] = await db.query<{ hashrate_hs: number | null }>(
        `SELECT hashrate_hs FROM pools WHERE pool_key = '2miners:ETC'`,
      );
      assert.ok(hashrate_hs && hashrate_hs > 0, 'the pool API still reports its hashrate');
    });

    it('keeps a row without value for a coin no source quotes, stale, and says so', async () => {
      const row = (await pool('antpool:BCH'))!;
      assert.equal(row.usd_per_hs_day, null);
      assert.deepEqual([row.stale, row.healthy], [true, false]);
      assert.deepEqual(
        warnings.filter((w) => w.includes('antpool:BCH')),
        ['declared pool antpool:BCH: no source gives BCH market data; no decision will choose it'],
      );
      assert.equal(warnings.length, 1, warnings.join('\n'));
    });

    it('appends history on a change of its coin, and none while nothing changed', async () => {
      const before = (await coinValue('LTC'))!;
      scaleCoinPrice(server, 'LTC', 1.1);
      clock = new Date(SNAPSHOT_NOW.getTime() + 120_000);
      await aggregator.runOnce();
      const ltc = await history('viabtc:LTC');
      assert.equal(ltc.length, 2);
      close(ltc[1]!.usd_per_hs_day, before * 1.1 * 0.98, 'moved LTC pool');
      assert.equal(ltc[1]!.time.getTime(), clock.getTime());
      assert.equal(
        (await history('f2pool:DOGE')).length,
        1,
        'DOGE did not move: no row before the heartbeat',
      );
    });

    describe('through the API', () => {
      let app: FastifyInstance;
      before(async () => {
        app = await buildApp({ db, now: () => clock });
      });
      after(() => app?.close());

      it('serves the declared pool with its endpoints', async () => {
        const res = await app.inject({ url: '/v1/pools/f2pool:DOGE' });
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json() as { algorithm: string; feeFraction: number; endpoints: unknown[] };
        assert.equal(body.algorithm, 'scrypt');
        assert.equal(body.feeFraction, 0.03);
        assert.deepEqual(body.endpoints, [
          { host: 'doge.f2pool.com', port: 5599, tls: false, dialect: 'stratum-v1' },
        ]);
      });

      it('chooses a declared pool for a scrypt miner and ranks the other with its endpoints', async () => {
        const res = await app.inject({
          url: '/v1/decision?profile=max-usd-hashrate&algorithms=scrypt&hashrateHs=1e9',
        });
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json() as ResponseOf<'decision'>;
        assert.equal(body.chosen?.poolKey, 'f2pool:DOGE', body.reason);
        assert.deepEqual(
          body.ranked.map((t) => [t.poolKey, t.endpoints[0]?.host]),
          [
            ['f2pool:DOGE', 'doge.f2pool.com'],
            ['viabtc:LTC', 'ltc.viabtc.io'],
          ],
        );
      });

      it('ranks it and replays it in a backtest over its history', async () => {
        const ranking = await app.inject({ url: '/v1/ranking?algorithms=scrypt&hashrateHs=1e9' });
        assert.equal(ranking.statusCode, 200, ranking.body);
        assert.match(ranking.body, /"f2pool:DOGE"/);
        const from = SNAPSHOT_NOW.toISOString();
        const to = new Date(SNAPSHOT_NOW.getTime() + 240_000).toISOString();
        const res = await app.inject({
          url: `/v1/backtest?profile=max-usd-hashrate&algorithms=scrypt&hashrateHs=1e9&from=${from}&to=${to}&stepS=60`,
        });
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json() as ResponseOf<'backtest'>;
        assert.equal(body.bestFixed?.target, 'f2pool:DOGE');
        assert.ok(body.timeline.length > 0 && body.timeline.every((s) => s.target === 'f2pool:DOGE'));
      });

      it('never chooses the pool of a coin without market data', async () => {
        const res = await app.inject({
          url: '/v1/decision?profile=max-usd-hashrate&algorithms=sha256d&hashrateHs=1e14',
        });
        const body = res.json() as ResponseOf<'decision'>;
        assert.equal(body.chosen?.poolKey, 'viabtc:BTC', body.reason);
        assert.ok(!body.ranked.some((t) => t.poolKey === 'antpool:BCH'));
      });
    });
  });
}
