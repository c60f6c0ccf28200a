// Whole aggregator against the replay server: every seed table filled, faults contained, history not duplicated.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Aggregator } from '@smart-mining/aggregator';
import type { Db } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { silentLogger } from '@smart-mining/platform';
import { type ReplayServer, startReplayServer } from '@smart-mining/testkit';
import { Registry } from 'prom-client';
import { buildAggregator } from '../../apps/cli/src/compose.ts';
import { replayConfig, SNAPSHOT_NOW } from './support.ts';

const SEED_COINS = ['BTC', 'ERG', 'ETC', 'KAS', 'RVN', 'XMR'];

async function count(db: Db, table: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return row!.n;
}

for (const database of testDatabases()) {
  describe(`aggregate --once on ${database.name}`, () => {
    let server: ReplayServer;
    let db: Db;
    let aggregator: Aggregator;
    const now = () => SNAPSHOT_NOW;

    before(async () => {
      server = await startReplayServer();
      db = await database.open();
      // One aggregator for the whole block, as in a running process: a failing source keeps its last good data.
      aggregator = buildAggregator(replayConfig(server), db, silentLogger, { now, fetch: server.fetch });
    });
    after(async () => {
      await db?.close();
      await server?.close();
    });

    it('fills every seed table from the seven sources', async () => {
      const report = await aggregator.runOnce();
      assert.deepEqual(
        report.runs.filter((r) => !r.ok).map((r) => `${r.source}: ${r.error}`),
        [],
      );
      assert.equal(report.runs.length, 7);

      const coins = await db.query<Record<string, unknown>>(
        `SELECT coin, price_usd, difficulty, network_hashrate_hs, usd_per_hs_day, trusted, stale FROM coins
         WHERE coin = ANY($1::text[]) ORDER BY coin`,
        [SEED_COINS],
      );
      assert.deepEqual(
        coins.map((c) => c.coin),
        SEED_COINS,
      );
      for (const c of coins) {
        for (const field of ['price_usd', 'difficulty', 'network_hashrate_hs', 'usd_per_hs_day']) {
          assert.ok(
            typeof c[field] === 'number' && (c[field] as number) > 0,
            `${c.coin}.${field} = ${c[field]}`,
          );
        }
        assert.equal(c.stale, false, `${c.coin} stale`);
      }
      const etc = coins.find((c) => c.coin === 'ETC')!;
      // Fixtures README cross-check C: 100 MH/s earns 0.2710 USD/day.
      assert.ok(Math.abs((etc.usd_per_hs_day as number) * 1e8 - 0.271) < 0.0005, `${etc.usd_per_hs_day}`);
      assert.equal(etc.trusted, true);

      const pools = await db.query<{
        pool_key: string;
        fee_fraction: number;
        usd_per_hs_day: number;
        endpoints: unknown[];
      }>(
        `SELECT pool_key, fee_fraction, usd_per_hs_day, endpoints FROM pools WHERE pool_key IN ('2miners:ETC', 'nanopool:ETC')
         ORDER BY pool_key`,
      );
      assert.deepEqual(
        pools.map((p) => p.pool_key),
        ['2miners:ETC', 'nanopool:ETC'],
      );
      for (const p of pools) {
        assert.equal(p.fee_fraction, 0.01);
        assert.ok(Math.abs(p.usd_per_hs_day - (etc.usd_per_hs_day as number) * 0.99) < 1e-15);
        assert.ok(p.endpoints.length > 0);
      }

      const rtx = await db.query<{
        hashrate_hs: number;
        power_w: number;
        revenue_usd_per_day: number;
        best_coin: string;
      }>(
        `SELECT hashrate_hs, power_w, revenue_usd_per_day, best_coin FROM hardware_mining
         WHERE hardware = 'nvidia-rtx-3080' AND algorithm = 'etchash'`,
      );
      assert.equal(rtx[0]?.hashrate_hs, 97_200_000);
      assert.equal(rtx[0]?.power_w, 240);
      assert.equal(rtx[0]?.best_coin, 'ETC');
      assert.ok(rtx[0]!.revenue_usd_per_day > 0.25 && rtx[0]!.revenue_usd_per_day < 0.28);
      assert.ok((await count(db, 'hardware')) >= 2);
      assert.ok((await count(db, 'coin_history')) >= SEED_COINS.length);
      assert.ok((await count(db, 'pool_history')) >= 2);
      assert.equal(await count(db, 'source_runs'), 7);
    });

    it('re-ingesting the same snapshot adds no history', async () => {
      const before = [await count(db, 'coin_history'), await count(db, 'pool_history')];
      // A fresh process (empty observation store) reading the same snapshot again.
      await buildAggregator(replayConfig(server), db, silentLogger, { now, fetch: server.fetch }).runOnce();
      assert.deepEqual([await count(db, 'coin_history'), await count(db, 'pool_history')], before);
      assert.equal(await count(db, 'source_runs'), 14);
    });

    it('announces an ingest that wrote market data, and never a cycle whose sources all failed', async () => {
      const events = () => count(db, 'events');
      const before = await events();
      assert.ok(before >= 1);
      // Hashrate.no answers from its database cache (its ~100 calls a month): leave it out of the failed cycle.
      const config = replayConfig(server);
      config.aggregator.sources.hashrateno.enabled = false;
      for (const source of [
        'binance',
        'coingecko',
        'minerstat',
        'whattomine',
        'nanopool',
        '2miners',
      ] as const) {
        server.inject(source, { kind: 'status', status: 503 });
      }
      try {
        const failing = buildAggregator(config, db, silentLogger, { now, fetch: server.fetch });
        const report = await failing.runOnce();
        assert.ok(report.runs.length > 0 && report.runs.every((r) => !r.ok));
      } finally {
        server.clearFaults();
      }
      assert.equal(await events(), before);
      await aggregator.runOnce();
      assert.equal(await events(), before + 1);
    });

    const faults = [
      ['binance', { kind: 'status', status: 500 }, /SM_SOURCE_HTTP/],
      ['coingecko', { kind: 'rate-limit', retryAfterS: 0 }, /SM_SOURCE_RATE_LIMITED/],
      ['whattomine', { kind: 'timeout' }, /SM_SOURCE_TIMEOUT/],
      ['minerstat', { kind: 'truncated' }, /SM_SOURCE_INVALID/],
      ['2miners', { kind: 'garbage' }, /SM_SOURCE_INVALID/],
      ['nanopool', { kind: 'missing-fields', fields: ['data'] }, /SM_SOURCE_INVALID/],
    ] as const;
    for (const [source, fault, expected] of faults) {
      it(`${source} ${fault.kind}: recorded error, other sources ingested, nothing stored lost`, async () => {
        const snapshot = await db.query(
          'SELECT coin, price_usd, difficulty, usd_per_hs_day FROM coins ORDER BY coin',
        );
        server.inject(source, fault);
        try {
          const report = await aggregator.runOnce();
          const failed = report.runs.filter((r) => !r.ok);
          assert.deepEqual(
            failed.map((r) => r.source),
            [source],
          );
          assert.match(failed[0]!.error!, expected);
          const [stored] = await db.query<{ error: string }>(
            `SELECT error FROM source_runs WHERE source = $1 AND NOT ok ORDER BY id DESC LIMIT 1`,
            [source],
          );
          assert.match(stored!.error, expected);
          assert.deepEqual(
            await db.query('SELECT coin, price_usd, difficulty, usd_per_hs_day FROM coins ORDER BY coin'),
            snapshot,
          );
        } finally {
          server.clearFaults();
        }
      });
    }

    it('numbers sent as strings are read as the same numbers', async () => {
      const snapshot = await db.query('SELECT coin, price_usd, difficulty FROM coins ORDER BY coin');
      server.inject('2miners', { kind: 'numbers-as-strings' });
      server.inject('binance', { kind: 'numbers-as-strings' });
      try {
        const report = await aggregator.runOnce();
        assert.ok(report.runs.every((r) => r.ok));
        assert.deepEqual(
          await db.query('SELECT coin, price_usd, difficulty FROM coins ORDER BY coin'),
          snapshot,
        );
      } finally {
        server.clearFaults();
      }
    });

    it('counts each source run, its errors and rows, and each ingest, in Prometheus metrics', async () => {
      const registry = new Registry();
      const measured = buildAggregator(replayConfig(server), db, silentLogger, {
        now,
        fetch: server.fetch,
        registry,
      });
      server.inject('binance', { kind: 'status', status: 500 });
      try {
        await measured.runOnce();
      } finally {
        server.clearFaults();
      }
      const text = await registry.metrics();
      assert.match(
        text,
        /^sm_aggregator_source_run_duration_seconds_count\{source="coingecko",ok="true"\} 1$/m,
      );
      assert.match(
        text,
        /^sm_aggregator_source_run_duration_seconds_count\{source="binance",ok="false"\} 1$/m,
      );
      assert.match(text, /^sm_aggregator_source_errors_total\{source="binance"\} 1$/m);
      assert.match(text, /^sm_aggregator_source_rows\{source="coingecko"\} [1-9]\d*$/m);
      assert.match(text, /^sm_aggregator_cycle_duration_seconds_count\{ok="true"\} 1$/m);
    });
  });
}
