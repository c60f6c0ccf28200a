// The decision over real ingested data: a price move between two ingests switches a miner only when it beats
// the threshold (after the algorithm switch cost) and the dwell time has passed.

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

type DecisionBody = ResponseOf<'decision'>;

for (const database of testDatabases()) {
  describe(`decision after ingests on ${database.name}`, () => {
    let server: ReplayServer;
    let db: Db;
    let aggregator: Aggregator;
    let app: FastifyInstance;
    const now = () => SNAPSHOT_NOW;
    const secondsAgo = (s: number) => new Date(SNAPSHOT_NOW.getTime() - s * 1000).toISOString();

    const decide = async (query: string): Promise<DecisionBody> => {
      const res = await app.inject({
        method: 'GET',
        url: `/v1/decision?profile=max-usd-hashrate&hardware=nvidia-rtx-3080${query}`,
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as DecisionBody;
    };

    /** Moves ETC to `factor` × its recorded price, ingests, and waits until the API's market shows it. */
    const moveEtcTo = async (factor: number, from: number) => {
      scaleCoinPrice(server, 'ETC', factor / from);
      await aggregator.runOnce();
      // The API reloads its market when the ingest's event arrives, a moment after the commit.
      const expectedUsd = 27.61 * factor;
      for (let i = 0; i < 500; i++) {
        const coin = (await app.inject({ url: '/v1/coins/ETC' })).json() as { priceUsd: number };
        if (Math.abs(coin.priceUsd - expectedUsd) < 0.01 * expectedUsd) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.fail(`the API never showed ETC at ${expectedUsd} USD`);
    };

    before(async () => {
      server = await startReplayServer();
      db = await database.open();
      aggregator = buildAggregator(replayConfig(server), db, silentLogger, { now, fetch: server.fetch });
      await aggregator.runOnce();
      app = await buildApp({ db, now });
    });
    after(async () => {
      await app?.close();
      await db?.close();
      await server?.close();
    });

    it('starts an RTX 3080 on the best algorithm: RVN (kawpow) on 2Miners', async () => {
      const d = await decide('');
      assert.equal(d.chosen?.poolKey, '2miners:RVN');
      // 46.45 MH/s × 1.6453e-8 USD per H/s per day × (1 − 1 % fee)
      assert.ok(Math.abs(d.chosen!.valueUsdPerDay - 0.7566) < 0.001, String(d.chosen?.valueUsdPerDay));
    });

    it('keeps RVN when ETC rises ×2.5: still below RVN', async () => {
      await moveEtcTo(2.5, 1);
      const d = await decide(`&current=2miners:RVN&since=${secondsAgo(3600)}`);
      assert.equal(d.chosen?.poolKey, '2miners:RVN');
      assert.equal(d.switched, false);
    });

    it('ETC ×3.5 beats RVN by more than threshold + switch cost: held by dwell, then switched', async () => {
      await moveEtcTo(3.5, 2.5);
      const held = await decide(`&current=2miners:RVN&since=${secondsAgo(120)}`);
      assert.equal(held.chosen?.poolKey, '2miners:RVN');
      assert.equal(held.switched, false);
      assert.match(held.reason, /dwell/);

      const moved = await decide(`&current=2miners:RVN&since=${secondsAgo(700)}`);
      assert.equal(moved.chosen?.poolKey, '2miners:ETC');
      assert.equal(moved.switched, true);
      assert.ok(moved.inputs.netMarginFraction! >= moved.inputs.thresholdFraction);
      // A decision is a read: the log holds only the switches proxies report.
      const [logged] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM switch_events');
      assert.equal(logged!.n, 0);
    });
  });
}
