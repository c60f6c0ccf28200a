// The moving replay market: set in process or over HTTP, every source moved alike, and a script played on time.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type MarketMoves,
  MarketScenarioError,
  parseMarketScenario,
  playScenario,
  type ScenarioStep,
} from './market-scenario.ts';
import { type ReplayServer, startReplayServer } from './replay-server.ts';
import { waitFor } from './wait-for.ts';

type Json = Record<string, unknown>;

/** DOGE's price as each source quotes it (WhatToMine in BTC). */
function dogeQuotes(server: ReplayServer): number[] {
  const fx = server.fixtures;
  const binance = (fx.get('binance/ticker_24hr_symbols.json') as Json[]).find(
    (r) => r.symbol === 'DOGEUSDT',
  )!;
  const ticker = (fx.get('binance/ticker_price_symbols.json') as Json[]).find((r) => r.symbol === 'DOGEUSDT');
  const gecko = (fx.get('coingecko/coins_markets.json') as Json[]).find((r) => r.id === 'dogecoin')!;
  const minerstat = (fx.get('minerstat/coins.json') as Json[]).find((r) => r.coin === 'DOGE')!;
  const wtm = Object.values((fx.get('whattomine/asic.json') as { coins: Record<string, Json> }).coins).find(
    (c) => c.tag === 'DOGE',
  )!;
  return [
    Number(binance.lastPrice),
    ...(ticker ? [Number(ticker.price)] : []),
    Number(gecko.current_price),
    Number(minerstat.price),
    Number(wtm.exchange_rate),
  ];
}

const ratios = (a: number[], b: number[]) => a.map((v, i) => b[i]! / v);
const near = (actual: number[], expected: number) =>
  actual.every((r) => Math.abs(r - expected) < 1e-9 * expected);

describe('replay market moves', () => {
  let server: ReplayServer;
  before(async () => {
    server = await startReplayServer();
  });
  after(() => server.close());

  it('multiplies a coin in every source, and goes back to the recording', () => {
    const recorded = dogeQuotes(server);
    assert.ok(recorded.length >= 4, `${recorded.length} DOGE quotes`);
    server.setMarket({ doge: { priceFactor: 1.4 } });
    assert.deepEqual(server.market, { DOGE: { priceFactor: 1.4 } });
    assert.ok(near(ratios(recorded, dogeQuotes(server)), 1.4), String(ratios(recorded, dogeQuotes(server))));
    // Factors are over the recording, not over the previous move.
    server.setMarket({ DOGE: { priceFactor: 0.5 } });
    assert.ok(near(ratios(recorded, dogeQuotes(server)), 0.5));
    server.setMarket({});
    assert.ok(near(ratios(recorded, dogeQuotes(server)), 1));
  });

  it('moves the market through POST /_control/market and shows it with GET', async () => {
    const recorded = dogeQuotes(server);
    const post = (body: string) =>
      fetch(`${server.origin}/_control/market`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
    const res = await post(JSON.stringify({ coins: { DOGE: { priceFactor: 1.4, difficultyFactor: 1.1 } } }));
    assert.equal(res.status, 200);
    const moved: MarketMoves = { DOGE: { priceFactor: 1.4, difficultyFactor: 1.1 } };
    assert.deepEqual(await res.json(), { coins: moved });
    assert.ok(near(ratios(recorded, dogeQuotes(server)), 1.4));
    assert.deepEqual(await (await fetch(`${server.origin}/_control/market`)).json(), { coins: moved });

    const bad = await post(JSON.stringify({ coins: { DOGE: { priceFactor: -1 } } }));
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), { error: 'coins.DOGE.priceFactor must be a number above 0' });
    const unknown = await post(JSON.stringify({ coins: { NOPE: {} } }));
    assert.deepEqual([unknown.status, await unknown.json()], [400, { error: 'coins.NOPE: unknown coin' }]);
    assert.equal((await post('{not json')).status, 400);
    assert.deepEqual(server.market, moved, 'a refused request changes nothing');
    assert.equal(server.requests.length, 0, 'control requests are not source requests');
    server.setMarket({});
  });

  it('plays a scenario step by step on its times, and loops', async () => {
    const scenario = parseMarketScenario({
      steps: [
        { atS: 0, coins: {} },
        { atS: 0.4, coins: { DOGE: { priceFactor: 1.4 } } },
        { atS: 0.8, coins: { DOGE: { priceFactor: 1.2 }, KAS: { difficultyFactor: 0.9 } } },
      ],
      loopS: 1.2,
    });
    const started = performance.now();
    const seen: { index: number; loop: number; atMs: number; market: MarketMoves }[] = [];
    const player = playScenario(server, scenario, {
      onStep: (index: number, _step: ScenarioStep, loop: number) =>
        seen.push({ index, loop, atMs: performance.now() - started, market: server.market }),
    });
    try {
      await waitFor(() => seen.length >= 5, 'two steps into the second loop', 30_000);
    } finally {
      player.stop();
    }
    assert.deepEqual([player.loops, player.step], [1, 1]);
    assert.deepEqual(
      seen.slice(0, 5).map((s) => [s.loop, s.index]),
      [
        [0, 0],
        [0, 1],
        [0, 2],
        [1, 0],
        [1, 1],
      ],
    );
    assert.deepEqual(seen[1]!.market, { DOGE: { priceFactor: 1.4 } });
    assert.deepEqual(seen[2]!.market, { DOGE: { priceFactor: 1.2 }, KAS: { difficultyFactor: 0.9 } });
    assert.deepEqual(seen[3]!.market, {});
    const dueMs = [0, 400, 800, 1200, 1600];
    seen.slice(0, 5).forEach((s, i) => {
      // Never early; late at most by what a loaded machine delays a timer.
      assert.ok(s.atMs >= dueMs[i]! - 5, `step ${i} at ${s.atMs} ms, due ${dueMs[i]} ms`);
      assert.ok(s.atMs <= dueMs[i]! + 350, `step ${i} at ${s.atMs} ms, due ${dueMs[i]} ms`);
    });
    server.setMarket({});
  });

  it('refuses scenarios it cannot play, naming the step', () => {
    const refused = (value: unknown) => {
      try {
        parseMarketScenario(value);
      } catch (error) {
        assert.ok(error instanceof MarketScenarioError, String(error));
        return error.message;
      }
      assert.fail('expected a MarketScenarioError');
    };
    assert.equal(
      refused([
        { atS: 5, coins: {} },
        { atS: 5, coins: {} },
      ]),
      'steps.1.atS must come after the step before',
    );
    assert.equal(
      refused({ steps: [{ atS: 0, coins: { DOGE: { price: 2 } } }] }),
      'steps.0.coins.DOGE.price: unknown (known: priceFactor, difficultyFactor)',
    );
    assert.match(
      refused({ steps: [{ atS: 60, coins: {} }], loopS: 30 }),
      /^loopS must be .* after the last step \(60 s\)/,
    );
    assert.match(refused({ steps: [] }), /^a scenario is/);
    assert.deepEqual(parseMarketScenario([{ atS: 0, coins: { doge: { priceFactor: 2 } } }]), {
      steps: [{ atS: 0, coins: { DOGE: { priceFactor: 2 } } }],
    });
  });
});
