// Unit tests of WhatToMine parsing and normalization on the constructed and recorded fixtures.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  COINS,
  type CoinIdentity,
  hashrateFromDifficulty,
  TWO_POW_32,
  usdPerHsDay,
} from '@smart-mining/domain';
import { fixture } from '@smart-mining/testkit';
import { parseBody, parseRows } from '../collector.ts';
import { calculatorQuery } from './client.ts';
import { DEFAULT_REFERENCE_HASHRATES_HS, normalizeWhattomine, type WhattomineEntry } from './normalize.ts';
import { whattomineCoinSchema, whattomineFileSchema } from './schema.ts';

const NOW = new Date('2030-01-01T00:00:00Z');
const SNAPSHOT = new Date('2024-02-16T16:34:12Z');

function entries(path: string, file = path.split('/').pop()!): WhattomineEntry[] {
  const warnings: string[] = [];
  const { coins } = parseBody(whattomineFileSchema, fixture(`whattomine/${path}`), file);
  const rows = parseRows(whattomineCoinSchema, Object.entries(coins), file, warnings);
  assert.deepEqual(warnings, []);
  return rows.map(([name, row]) => ({ file, name, row }));
}

const constructed = () => [...entries('coins.json'), ...entries('asic.json')];

function normalize(list: WhattomineEntry[], coins: readonly CoinIdentity[] = COINS, refs = {}) {
  return normalizeWhattomine(list, {
    coins,
    referenceHashratesHs: { ...DEFAULT_REFERENCE_HASHRATES_HS, ...refs },
    now: NOW,
  });
}

function near(actual: number | undefined, expected: number, relative = 1e-9): void {
  assert.ok(actual !== undefined, `expected ≈ ${expected}, got undefined`);
  assert.ok(
    Math.abs(actual / expected - 1) <= relative,
    `${actual} is not within ${relative} of ${expected}`,
  );
}

/** The constructed ETC entry with other fields, to build matching cases. */
function etcEntry(change: Partial<WhattomineEntry['row']>, name = 'EthereumClassic'): WhattomineEntry {
  const etc = entries('coins.json').find((e) => e.row.tag === 'ETC')!;
  return { ...etc, name, row: { ...etc.row, ...change } };
}

const withEtcId = (id: number) => COINS.map((c) => (c.key === 'ETC' ? { ...c, whattomineId: id } : c));

describe('whattomine normalize', () => {
  it('reads ETC in our units, its price converted from BTC at the Bitcoin entry rate', () => {
    const { coins, warnings } = normalize(constructed());
    assert.deepEqual(warnings, ['no entry for BCH']);
    const etc = coins.find((c) => c.coin === 'ETC')!;
    assert.equal(etc.algorithm, 'etchash');
    assert.deepEqual(etc.observedAt, SNAPSHOT);
    assert.equal(etc.difficulty, 2.2532e15);
    assert.equal(etc.networkHashrateHs, 1.72e14);
    assert.equal(etc.blockTimeS, 13.1);
    assert.equal(etc.blockReward, 2.56);
    assert.equal(etc.lagging, false);
    near(etc.priceUsd, 27.61);
    near(etc.volume24hUsd, 512.33 * 52143.1488);
    // README cross-check C: 0.00981644 ETC/day at 100 MH/s × 27.61 USD = 0.27103 USD/day.
    near((etc.usdPerHsDay ?? 0) * 1e8, 0.27103, 1e-4);
  });

  it('takes the Bitcoin entry exchange_rate as USD', () => {
    const btc = normalize(constructed()).coins.find((c) => c.coin === 'BTC')!;
    assert.equal(btc.priceUsd, 52143.1488);
    assert.equal(btc.volume24hUsd, 1198765432.1);
    assert.equal(btc.networkHashrateHs, Number('585012483319115481088'));
    // README cross-check A: 0.000153843 BTC/day at 100 TH/s = 8.0219 USD/day.
    near((btc.usdPerHsDay ?? 0) * 1e14, 8.0219, 1e-4);
  });

  it('agrees with the difficulty formula for every constructed coin (KAS 9.4117 USD/day per TH/s)', () => {
    const { coins } = normalize(constructed());
    assert.deepEqual(coins.map((c) => c.coin).sort(), [
      'BTC',
      'DOGE',
      'ERG',
      'ETC',
      'KAS',
      'LTC',
      'RVN',
      'XMR',
    ]);
    for (const c of coins) {
      const own = usdPerHsDay({
        blockReward: c.blockReward!,
        blockTimeS: c.blockTimeS!,
        networkHashrateHs: hashrateFromDifficulty(c.algorithm!, c.difficulty!, c.blockTimeS!),
        priceUsd: c.priceUsd!,
      });
      near(c.usdPerHsDay, own, 1e-4);
    }
    near((coins.find((c) => c.coin === 'KAS')?.usdPerHsDay ?? 0) * 1e12, 9.4117, 1e-4);
    near(coins.find((c) => c.coin === 'RVN')?.priceUsd, 0.02468, 1e-6);
  });

  it('derives the network hashrate from difficulty in the recorded 2026 asic.json (no nethash there)', () => {
    const { coins, warnings } = normalize(entries('recorded_asic_json_2026-09-25_trimmed.json', 'asic.json'));
    assert.deepEqual(
      coins.map((c) => c.coin),
      ['BTC', 'BCH'],
    );
    const [btc, bch] = coins as [(typeof coins)[0], (typeof coins)[0]];
    assert.equal(btc.networkHashrateHs, (132757073449487.5 * TWO_POW_32) / 575);
    assert.equal(btc.priceUsd, 83886.68);
    assert.equal(btc.volume24hUsd, undefined);
    assert.equal(btc.usdPerHsDay, undefined);
    assert.deepEqual(btc.observedAt, new Date(1790321885 * 1000));
    near(bch.priceUsd, 0.003948660264060993 * 83886.68);
    assert.match(warnings[0]!, /^2 entries not in our coin list skipped: .*DGB-SHA \(id 113, DGB\).*eCash/);
  });

  it('skips the 2018 Ethereum record (not our coin) and has no BTC/USD rate without a Bitcoin entry', () => {
    const { coins, warnings } = normalize(entries('recorded_coins_json_ETH_2018-05-29.json', 'coins.json'));
    assert.deepEqual(coins, []);
    assert.match(warnings[0]!, /1 entries not in our coin list skipped: coins.json Ethereum \(id 151, ETH\)/);
    const gpuOnly = normalize(entries('coins.json'));
    assert.equal(gpuOnly.coins.length, 4);
    assert.ok(gpuOnly.coins.every((c) => c.priceUsd === undefined && c.usdPerHsDay === undefined));
    assert.ok(gpuOnly.warnings.includes('no Bitcoin entry (asic.json): no BTC/USD rate, so no USD prices'));
  });

  it('accepts an unknown id by tag when the algorithm matches, with one warning', () => {
    const list = [...constructed(), ...entries('coins.json')];
    const { coins, warnings } = normalize(list, withEtcId(999));
    const etc = coins.filter((c) => c.coin === 'ETC');
    assert.equal(etc.length, 1);
    near(etc[0]?.priceUsd, 27.61);
    const tagWarnings = warnings.filter((w) => w.includes('by its tag'));
    assert.deepEqual(tagWarnings, [
      'coins.json EthereumClassic (id 162, ETC) taken as ETC by its tag and algorithm; set whattomineId 162 for ETC',
    ]);
  });

  it('never guesses: tag with another algorithm, several ids on one tag, or an id with a wrong algorithm', () => {
    const otherAlgo = normalize([etcEntry({ algorithm: 'Ethash' })], withEtcId(999));
    assert.deepEqual(otherAlgo.coins, []);
    assert.match(otherAlgo.warnings[0]!, /1 entries not in our coin list skipped/);
    const twoIds = normalize([etcEntry({}), etcEntry({ id: 163 }, 'EtcFork')], withEtcId(999));
    assert.deepEqual(twoIds.coins, []);
    assert.ok(twoIds.warnings.includes('tag ETC is on several unknown ids (162, 163): none taken'));
    const wrongAlgo = normalize([etcEntry({ algorithm: 'Ethash' })]);
    assert.deepEqual(wrongAlgo.coins, []);
    assert.match(wrongAlgo.warnings[0]!, /id is ETC but algorithm "Ethash" is not etchash, skipped/);
  });

  it('prefers the id match over a tag match of the same coin', () => {
    const { coins, warnings } = normalize([etcEntry({ id: 163, difficulty: 1 }, 'Other'), etcEntry({})]);
    assert.equal(coins.length, 1);
    assert.equal(coins[0]?.difficulty, 2.2532e15);
    assert.ok(warnings.some((w) => w.includes('Other (id 163, ETC)') && w.includes('not in our coin list')));
  });

  it('omits usdPerHsDay without estimated_rewards and when it does not fit the reference hashrate', () => {
    const bare = normalize([
      etcEntry({ estimated_rewards: undefined, nethash: undefined }),
      ...entries('asic.json'),
    ]);
    const etc = bare.coins.find((c) => c.coin === 'ETC')!;
    assert.equal(etc.usdPerHsDay, undefined);
    near(etc.networkHashrateHs, 1.72e14, 1e-12);
    const misfit = normalize(constructed(), COINS, { etchash: 1e6 });
    assert.equal(misfit.coins.find((c) => c.coin === 'ETC')?.usdPerHsDay, undefined);
    assert.ok(misfit.warnings.some((w) => /fits 1\.000e\+8 H\/s, not the reference 1000000 H\/s/.test(w)));
  });

  it('flags lagging entries and falls back to now() without a timestamp', () => {
    const { coins, warnings } = normalize([etcEntry({ lagging: true, timestamp: undefined })]);
    assert.equal(coins[0]?.lagging, true);
    assert.deepEqual(coins[0]?.observedAt, NOW);
    assert.ok(warnings.some((w) => w.includes('flags its data as lagging')));
  });

  it('parses numeric strings, thousands separators, and rejects an entry without exchange_rate', () => {
    const row = whattomineCoinSchema.parse({
      ...etcEntry({}).row,
      id: '162',
      difficulty: '2253200000000000',
      estimated_rewards: '1,234.5',
    });
    assert.equal(row.id, 162);
    assert.equal(row.difficulty, 2.2532e15);
    assert.equal(row.estimated_rewards, 1234.5);
    const { exchange_rate: _dropped, ...noRate } = etcEntry({}).row;
    assert.equal(whattomineCoinSchema.safeParse(noRate).success, false);
  });

  it('sends the documented calculator form ids only (RandomX 10 kH/s as rmx in H/s)', () => {
    assert.equal(
      calculatorQuery(DEFAULT_REFERENCE_HASHRATES_HS).toString(),
      'rmx=true&factor%5Brmx_hr%5D=10000',
    );
    assert.equal(calculatorQuery({ ethash: 84e6 }).toString(), 'eth=true&factor%5Beth_hr%5D=84');
  });
});
