// The aggregator stops after one ingest from the recording; the API keeps answering from its snapshot. What it says
// of the data must stay true as time goes on: a coin or pool whose data outlived its staleness limit (README,
// Configuration: price 900 s, network and pool data 1800 s) reads stale, though no ingest rewrote its row.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApp } from '@smart-mining/api';
import type { ResponseOf } from '@smart-mining/api-contract';
import { testDatabases } from '@smart-mining/db/testing';
import type { FastifyInstance } from 'fastify';
import { openRig } from './market-rig.ts';
import { SNAPSHOT_NOW } from './support.ts';

type Coins = ResponseOf<'coins'>;
type Pools = ResponseOf<'pools'>;
type Ranking = ResponseOf<'ranking'>;

const PRICE_LIMIT_S = 900;
const NETWORK_LIMIT_S = 1800;
const POOL_LIMIT_S = 1800;

function secondsAfter(at: Date, s: number): Date {
  return new Date(at.getTime() + s * 1000);
}

function latest(times: readonly (string | null)[]): Date {
  return new Date(Math.max(...times.flatMap((t) => (t ? [Date.parse(t)] : []))));
}

async function read<T>(app: FastifyInstance, url: string): Promise<T> {
  const res = await app.inject({ url });
  assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
  return res.json() as T;
}

/** What the three market reads say at the app's current time. */
async function marketReads(app: FastifyInstance) {
  const coins = (await read<Coins>(app, '/v1/coins')).coins;
  const pools = (await read<Pools>(app, '/v1/pools')).pools;
  const ranked = (await read<Ranking>(app, '/v1/ranking?hashrateHs=1000000&includeStale=true&limit=500'))
    .ranking;
  const fresh = (await read<Ranking>(app, '/v1/ranking?hashrateHs=1000000&includeStale=false&limit=500'))
    .ranking;
  const staleOf = (rows: readonly { stale: boolean }[], key: (r: never) => string) =>
    Object.fromEntries(rows.map((r) => [key(r as never), r.stale]));
  return {
    coins,
    pools,
    ranked,
    coinStale: staleOf(coins, (c: { coin: string }) => c.coin),
    poolStale: staleOf(pools, (p: { poolKey: string }) => p.poolKey),
    rankedStale: staleOf(ranked, (r: { target: string }) => r.target),
    freshTargets: fresh.map((r) => r.target).sort(),
  };
}

function keysWhere(flags: Record<string, boolean>, stale: boolean): string[] {
  return Object.entries(flags)
    .filter(([, s]) => s === stale)
    .map(([k]) => k)
    .sort();
}

/** The last instant a coin is fresh: its price and its network data, each within its limit. */
function coinFreshUntil(c: Coins['coins'][number]): number {
  const at = (t: string | null) => Date.parse(t ?? c.observedAt);
  return Math.min(
    at(c.priceUpdatedAt) + PRICE_LIMIT_S * 1000,
    at(c.networkUpdatedAt) + NETWORK_LIMIT_S * 1000,
  );
}

for (const database of testDatabases()) {
  describe(`staleness as the API reads it after the aggregator stopped, on ${database.name}`, () => {
    it('coins, pools and ranked targets turn stale when their data outlives its limit, with no ingest since', async () => {
      const rig = await openRig(database);
      let app: FastifyInstance | undefined;
      try {
        // One ingest of the recording, then none: one API, one snapshot read at its start, a clock moved on.
        await rig.cycle(SNAPSHOT_NOW);
        let now = SNAPSHOT_NOW;
        app = await buildApp({ db: rig.db, now: () => now });
        const [before] = await rig.db.query<{ runs: number }>(
          'SELECT count(*)::int AS runs FROM source_runs',
        );

        const atIngest = await marketReads(app);
        const freshCoins = atIngest.coins.filter((c) => !c.stale);
        // Pools their own API reported (a declared pool is as fresh as its coin).
        const freshPools = atIngest.pools.filter((p) => !p.stale && !('declared' in p.sources));
        const freshTargets = keysWhere(atIngest.rankedStale, false);
        assert.ok(
          freshCoins.length >= 3,
          `fresh coins after the ingest: ${keysWhere(atIngest.coinStale, false)}`,
        );
        assert.ok(
          freshPools.length >= 2,
          `fresh pools after the ingest: ${keysWhere(atIngest.poolStale, false)}`,
        );
        assert.ok(freshTargets.length >= 3, `fresh ranked targets after the ingest: ${freshTargets}`);
        assert.deepEqual(atIngest.freshTargets, freshTargets, 'includeStale=false keeps the fresh targets');

        // Up to the first limit nothing changes.
        now = new Date(Math.min(...freshCoins.map(coinFreshUntil)));
        const beforeLimit = await marketReads(app);
        assert.deepEqual(keysWhere(beforeLimit.coinStale, false), keysWhere(atIngest.coinStale, false));
        assert.deepEqual(keysWhere(beforeLimit.poolStale, false), keysWhere(atIngest.poolStale, false));
        assert.deepEqual(beforeLimit.freshTargets, freshTargets);

        // Past every price limit, within the pools' own: every coin reads stale, so does every target valued from
        // one (left out unless includeStale), while a pool's own data is still young enough.
        const lastPrice = latest(freshCoins.map((c) => c.priceUpdatedAt ?? c.observedAt));
        now = secondsAfter(lastPrice, PRICE_LIMIT_S + 1);
        const pastPrice = await marketReads(app);
        assert.deepEqual(keysWhere(pastPrice.coinStale, false), [], 'no coin is fresh past its price limit');
        for (const c of freshCoins) assert.equal(pastPrice.coinStale[c.coin], true, c.coin);
        assert.deepEqual(keysWhere(pastPrice.rankedStale, false), []);
        assert.deepEqual(pastPrice.freshTargets, [], 'includeStale=false leaves every stale target out');
        assert.deepEqual(
          keysWhere(pastPrice.rankedStale, true),
          keysWhere(atIngest.rankedStale, true).concat(freshTargets).sort(),
        );
        const youngPools = freshPools.filter(
          (p) => now.getTime() <= Date.parse(p.observedAt) + POOL_LIMIT_S * 1000,
        );
        assert.ok(youngPools.length > 0, 'some pool data is within its own limit');
        for (const p of youngPools) assert.equal(pastPrice.poolStale[p.poolKey], false, p.poolKey);

        // Past the pools' limit too: every row the ingest wrote fresh reads stale.
        now = secondsAfter(latest(freshPools.map((p) => p.observedAt)), POOL_LIMIT_S + 1);
        const pastPool = await marketReads(app);
        for (const p of freshPools) assert.equal(pastPool.poolStale[p.poolKey], true, p.poolKey);
        const once = new Set(freshPools.map((p) => p.poolKey));
        for (const p of pastPool.pools.filter((row) => once.has(row.poolKey)))
          assert.equal(p.healthy, false, `${p.poolKey} healthy`);
        assert.deepEqual(keysWhere(pastPool.coinStale, false), []);
        assert.deepEqual(pastPool.freshTargets, []);

        const [after] = await rig.db.query<{ runs: number }>('SELECT count(*)::int AS runs FROM source_runs');
        assert.equal(after?.runs, before?.runs, 'no ingest ran meanwhile');
      } finally {
        await app?.close();
        await rig.close();
      }
    });
  });
}
