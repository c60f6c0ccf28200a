import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import type { SourceName } from '@smart-mining/domain';
import { loadConfig, silentLogger } from '@smart-mining/platform';
import { createAggregator, NotLeaderError } from './aggregator.ts';
import type { Collector } from './collectors/collector.ts';
import { SourceError } from './errors.ts';
import type { IngestOptions } from './ingest.ts';
import { ingestOptionsFrom } from './ingest-options.ts';
import { createLeadership } from './leadership.ts';

const OPTIONS: IngestOptions = {
  ...ingestOptionsFrom(loadConfig({ file: null, env: {} })),
  minVolume24hUsd: 0,
};

/** A collector that takes `durationMs`, counts its runs and the most it ever had running at once. */
function slowCollector(source: SourceName, durationMs: number, fail = false) {
  const stats = { runs: 0, running: 0, maxRunning: 0 };
  const collector: Collector = {
    source,
    async collect() {
      stats.runs += 1;
      stats.running += 1;
      stats.maxRunning = Math.max(stats.maxRunning, stats.running);
      await sleep(durationMs);
      stats.running -= 1;
      if (fail) throw new SourceError('SM_SOURCE_HTTP', `${source}: HTTP 500`, { status: 500 });
      return {
        coins: [{ source, coin: 'ETC', observedAt: new Date(), priceUsd: 27.61 }],
        pools: [],
        hardware: [],
        warnings: [],
      };
    },
  };
  return { collector, stats };
}

const [pglite] = testDatabases({});

describe('aggregator scheduling', () => {
  let db: Db;
  before(async () => {
    db = await pglite!.open();
  });
  after(() => db?.close());

  const runsOf = async (source: string) =>
    (
      await db.query<{ n: number }>('SELECT count(*)::int AS n FROM source_runs WHERE source = $1', [source])
    )[0]!.n;

  it('runs each source again after its interval, never two runs of one source at once', async () => {
    const fast = slowCollector('binance', 30);
    const failing = slowCollector('coingecko', 10, true);
    const aggregator = createAggregator({
      db,
      collectors: [fast.collector, failing.collector],
      logger: silentLogger,
      ingestOptions: OPTIONS,
      intervalsS: { binance: 0.01, coingecko: 0.01 },
      jitterS: 0,
    });
    aggregator.start();
    // Bounded wait (no timing assumption about this machine): until both sources ran three times, or 10 s.
    for (let i = 0; i < 500 && (fast.stats.runs < 3 || failing.stats.runs < 3); i++) await sleep(20);
    await aggregator.stop();
    assert.ok(fast.stats.runs >= 3, `binance ran ${fast.stats.runs} times`);
    assert.equal(fast.stats.maxRunning, 1);
    assert.ok(failing.stats.runs >= 3, 'a failing source keeps being retried on its interval');
    const [binanceRuns, coingeckoRuns] = [await runsOf('binance'), await runsOf('coingecko')];
    // stop() lets the write in progress finish; a fetch still running then is dropped.
    assert.ok(binanceRuns >= fast.stats.runs - 1 && binanceRuns <= fast.stats.runs, `${binanceRuns}`);
    assert.ok(coingeckoRuns >= 3);
    const failed = await db.query<{ ok: boolean; error: string }>(
      `SELECT ok, error FROM source_runs WHERE source = 'coingecko' LIMIT 1`,
    );
    assert.deepEqual(failed[0], { ok: false, error: 'SM_SOURCE_HTTP: coingecko: HTTP 500' });
    const after = fast.stats.runs;
    await sleep(100);
    assert.equal(fast.stats.runs, after, 'nothing runs after stop()');
  });

  it('skips a collector that cannot run and reports it, without calling it', async () => {
    const skipped: Collector = {
      source: 'minerstat',
      skipReason: 'no MINERSTAT_API_KEY set; Minerstat skipped',
      collect: () => assert.fail('must not be called'),
    };
    const ok = slowCollector('whattomine', 1);
    const aggregator = createAggregator({
      db,
      collectors: [skipped, ok.collector],
      logger: silentLogger,
      ingestOptions: OPTIONS,
      intervalsS: {},
      jitterS: 0,
    });
    const report = await aggregator.runOnce();
    assert.deepEqual(report.skipped, [
      { source: 'minerstat', reason: 'no MINERSTAT_API_KEY set; Minerstat skipped' },
    ]);
    assert.deepEqual(
      report.runs.map((r) => [r.source, r.ok]),
      [['whattomine', true]],
    );
    assert.equal(report.ingest?.coins, 1);
  });

  it('creates the history partitions of a new month before writing into it', async () => {
    const inJune = new Date('2031-06-15T12:00:00Z');
    const ok = slowCollector('binance', 1);
    const aggregator = createAggregator({
      db,
      collectors: [ok.collector],
      logger: silentLogger,
      ingestOptions: OPTIONS,
      intervalsS: {},
      jitterS: 0,
      now: () => inJune,
    });
    await aggregator.runOnce();
    const names = await db.query<{ relname: string }>(
      `SELECT relname FROM pg_class WHERE relname IN ('coin_history_y2031m06', 'pool_history_y2031m08') ORDER BY 1`,
    );
    assert.deepEqual(
      names.map((n) => n.relname),
      ['coin_history_y2031m06', 'pool_history_y2031m08'],
    );
  });

  it('spreads runs with jitter: the delay is interval + random × jitter', async () => {
    const c = slowCollector('nanopool', 1);
    const aggregator = createAggregator({
      db,
      collectors: [c.collector],
      logger: silentLogger,
      ingestOptions: OPTIONS,
      intervalsS: { nanopool: 0.01 },
      jitterS: 10,
      random: () => 1, // 10 s of jitter: no second run within the test
    });
    aggregator.start();
    await sleep(200);
    await aggregator.stop();
    assert.equal(c.stats.runs, 1);
  });

  it('with leadership: runs no source while another aggregator holds the lease, and stands by', async () => {
    await db.query(
      `UPDATE aggregator_lease SET holder = 'other', epoch = epoch + 1,
         expires_at = clock_timestamp() + interval '1 hour'`,
    );
    try {
      const c = slowCollector('hashrateno', 1);
      const make = (holder: string) =>
        createAggregator({
          db,
          collectors: [c.collector],
          logger: silentLogger,
          ingestOptions: OPTIONS,
          intervalsS: { hashrateno: 0.01 },
          jitterS: 0,
          leadership: createLeadership({ db, holder, ttlS: 30, renewS: 0.05, logger: silentLogger }),
        });
      await assert.rejects(
        make('me').runOnce(),
        (e: Error) => e instanceof NotLeaderError && /other/.test(e.message),
      );
      const standby = make('me-too');
      standby.start();
      await sleep(200);
      assert.equal(standby.status().role, 'standby');
      await standby.stop();
      assert.equal(c.stats.runs, 0, 'a standby never fetches');
      assert.equal(await runsOf('hashrateno'), 0);
    } finally {
      await db.query('UPDATE aggregator_lease SET holder = NULL, expires_at = clock_timestamp()');
    }
  });
});

describe('aggregator history upkeep', () => {
  let db: Db;
  before(async () => {
    db = await pglite!.open();
  });
  after(() => db?.close());

  it('rolls up each closed hour after the ingest, and drops a raw month once expired and rolled up', async () => {
    let at = new Date('2031-07-01T10:05:00Z');
    const aggregator = createAggregator({
      db,
      collectors: [slowCollector('binance', 1).collector],
      logger: silentLogger,
      ingestOptions: OPTIONS,
      intervalsS: {},
      jitterS: 0,
      historyRetentionS: 30 * 86_400,
      now: () => at,
    });
    for (const time of ['2031-07-01T10:05:00Z', '2031-07-01T10:15:00Z', '2031-07-01T11:02:00Z']) {
      at = new Date(time);
      await aggregator.runOnce();
    }
    const hourly = () =>
      db.query<{ bucket: Date; samples: number }>(
        `SELECT bucket, samples FROM coin_history_hourly WHERE coin = 'ETC' ORDER BY bucket`,
      );
    const [raw] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM coin_history WHERE coin = 'ETC' AND time < '2031-07-01T11:00:00Z'`,
    );
    assert.ok(raw!.n >= 1);
    assert.deepEqual(await hourly(), [{ bucket: new Date('2031-07-01T10:00:00Z'), samples: raw!.n }]);
    // In the year's own partition, made for it (migrate made this year's and the next), not in the default one.
    const [inDefault] = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM coin_history_hourly_default',
    );
    assert.equal(inDefault!.n, 0);
    assert.equal(
      (await db.query(`SELECT 1 FROM pg_class WHERE relname = 'coin_history_hourly_y2031'`)).length,
      1,
    );
    // Ten weeks on: July ended more than 30 days ago and is rolled up, so its partition goes; its rollups stay.
    at = new Date('2031-09-10T00:30:00Z');
    await aggregator.runOnce();
    const partitions = await db.query<{ relname: string }>(
      `SELECT relname FROM pg_class WHERE relname IN ('coin_history_y2031m07', 'coin_history_y2031m08')`,
    );
    assert.deepEqual(
      partitions.map((p) => p.relname),
      ['coin_history_y2031m08'],
    );
    assert.deepEqual((await hourly())[0], { bucket: new Date('2031-07-01T10:00:00Z'), samples: raw!.n });
    await aggregator.stop();
  });
});
