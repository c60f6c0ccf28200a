// Tests for `smart-mining replay`: what it prints, and a market served as fresh (every coin priced, in consensus).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createDb, type Db, listCoins, migrate } from '@smart-mining/db';
import { silentLogger } from '@smart-mining/platform';
import { type ReplayServer, waitFor } from '@smart-mining/testkit';
import { buildAggregator } from '../compose.ts';
import { replayTestConfig, textSink } from '../test-support.ts';
import { playReplayScenario, readScenarioFile, startReplay } from './replay.ts';

/** Long after the recording: without moving its timestamps every price would be stale. */
const NOW = new Date('2026-12-01T12:00:00Z');

describe('replay command', () => {
  let server: ReplayServer;
  const out = textSink();
  before(async () => {
    server = await startReplay(0, { out, now: () => NOW });
  });
  after(() => server.close());

  it('says where it serves, that times are moved to now, and prints the lines to export', () => {
    const o = server.origin;
    assert.match(out.text, new RegExp(`^replay server on ${o}: .* recorded on 2024-02-16 16:36 UTC,\n`));
    assert.match(out.text, /timestamps moved to now/);
    for (const line of [
      `export SM_SOURCE_BINANCE_URL=${o}/binance SM_SOURCE_COINGECKO_URL=${o}/coingecko`,
      `export SM_SOURCE_HASHRATENO_URL=${o}/hashrateno SM_SOURCE_MINERSTAT_URL=${o}/minerstat`,
      `export SM_SOURCE_WHATTOMINE_URL=${o}/whattomine SM_SOURCE_NANOPOOL_URL='${o}/nanopool/{coin}'`,
      `export SM_SOURCE_TWOMINERS_URL='${o}/2miners/{coin}/api' MINERSTAT_API_KEY=replay`,
      'export HASHRATENO_API_KEY=replay',
    ]) {
      assert.ok(out.text.includes(`\n${line}\n`), `missing: ${line}\nin:\n${out.text}`);
    }
  });

  it('serves a market an aggregator running now finds fresh: every coin priced, in consensus, not stale', async () => {
    const db: Db = await createDb();
    try {
      await migrate(db);
      const config = replayTestConfig(server.baseUrls);
      const report = await buildAggregator(config, db, silentLogger, { now: () => NOW }).runOnce();
      assert.deepEqual(
        report.runs.filter((r) => !r.ok).map((r) => r.source),
        [],
      );
      const coins = await listCoins(db, { includeStale: true });
      assert.ok(coins.length >= 10, `${coins.length} coins`);
      // Every coin's price is fresh and in consensus (several sources agree within the trust limits).
      const unpriced = coins.filter((c) => c.priceUsd === null || !c.priceTrusted).map((c) => c.coin);
      assert.deepEqual(unpriced, []);
      // Stale only where the recording holds no network data at all (nothing to value the coin with).
      const staleWithData = coins.filter((c) => c.stale && c.usdPerHsDay !== null).map((c) => c.coin);
      assert.deepEqual(staleWithData, []);
    } finally {
      await db.close();
    }
  });
});

describe('replay --scenario', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sm-scenario-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the demo scenario shipped with the test kit', () => {
    const demo = readScenarioFile(
      fileURLToPath(new URL('../../../../packages/testkit/scenarios/demo-market.json', import.meta.url)),
    );
    assert.equal(demo.loopS, 360);
    assert.deepEqual(demo.steps[2], { atS: 120, coins: { DOGE: { priceFactor: 0.1 } } });
  });

  it('refuses a bad scenario file, naming the file and the problem', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ steps: [{ atS: 0, coins: { DOGE: { priceFactor: 0 } } }] }));
    assert.throws(
      () => readScenarioFile(file),
      (e: Error & { code?: string }) =>
        e.code === 'SM_CLI_SCENARIO_INVALID' &&
        e.message === `scenario ${file}: steps.0.coins.DOGE.priceFactor must be a number above 0`,
    );
    assert.throws(
      () => readScenarioFile(join(dir, 'missing.json')),
      /^CliError: scenario .*missing\.json: ENOENT/,
    );
  });

  it('plays the scenario on the server and prints each step', async () => {
    const server = await startReplay(0, { out: textSink(), now: () => NOW });
    const out = textSink();
    const player = playReplayScenario(
      server,
      {
        steps: [
          { atS: 0, coins: {} },
          { atS: 0.05, coins: { DOGE: { priceFactor: 1.4 } } },
        ],
      },
      out,
    );
    try {
      await waitFor(() => player.step === 1, 'the second step');
      assert.deepEqual(server.market, { DOGE: { priceFactor: 1.4 } });
      assert.equal(
        out.text,
        'market scenario: 2 steps, played once\n' +
          'market step 1/2 (loop 1, +0 s): as recorded\n' +
          'market step 2/2 (loop 1, +0.05 s): DOGE price ×1.4\n',
      );
    } finally {
      player.stop();
      await server.close();
    }
  });
});
