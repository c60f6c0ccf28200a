// 2Miners schema + normalize against the fixtures: string uint64s → numbers, unix s/ms → Dates.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture } from '@smart-mining/testkit';
import { parseBody } from '../collector.ts';
import { toCoinObservation, toPoolObservation } from './normalize.ts';
import { twoMinersNode, twoMinersStats } from './schema.ts';

const FETCHED = new Date('2024-02-16T16:40:00Z');
const ctx = (coin: string) => ({ coin, feeFraction: 0.01, fetchedAt: FETCHED });

function parsed(file: string) {
  const stats = parseBody(twoMinersStats, fixture(`2miners/${file}`), file);
  return { stats, node: twoMinersNode.parse(stats.nodes?.[0]) };
}

describe('2miners normalize', () => {
  it('ETC coin: difficulty, network hashrate (H/s) and block time from nodes[0] strings', () => {
    const { stats, node } = parsed('stats_etc.json');
    const obs = toCoinObservation(stats, node, ctx('ETC'));
    assert.deepEqual(obs, {
      source: '2miners',
      coin: 'ETC',
      observedAt: new Date(1708101372000),
      difficulty: 2.2532e15,
      networkHashrateHs: 1.72e14,
      blockTimeS: 13.1,
    });
  });

  it('ETC pool: hashrate, counts, last block (unix s), height, fee, endpoints; dated by `now` (ms)', () => {
    const { stats, node } = parsed('stats_etc.json');
    const obs = toPoolObservation(stats, node, ctx('ETC'));
    assert.equal(obs.hashrateHs, 9412345678901);
    assert.equal(obs.miners, 2417);
    assert.equal(obs.workers, 6530);
    assert.equal(obs.feeFraction, 0.01);
    assert.equal(obs.blockHeight, 19234567);
    assert.equal(obs.lastBlockAt?.toISOString(), '2024-02-16T16:32:40.000Z');
    assert.equal(obs.observedAt.toISOString(), '2024-02-16T16:36:12.000Z');
    assert.deepEqual(obs.endpoints, [
      { host: 'etc.2miners.com', port: 1010, tls: false, dialect: 'ethereum-stratum', region: 'eu' },
      { host: 'etc.2miners.com', port: 11010, tls: true, dialect: 'ethereum-stratum', region: 'eu' },
    ]);
  });

  it('RVN: KawPow network figures and the kawpow dialect', () => {
    const { stats, node } = parsed('stats_rvn.json');
    const coin = toCoinObservation(stats, node, ctx('RVN'));
    assert.equal(coin.difficulty, 75437.2);
    assert.equal(coin.networkHashrateHs, 5400005115030);
    assert.equal(coin.blockTimeS, 60);
    const pool = toPoolObservation(stats, node, ctx('RVN'));
    assert.equal(pool.hashrateHs, 412345678901);
    assert.equal(pool.miners, 1280);
    assert.equal(pool.workers, 3105);
    assert.equal(pool.blockHeight, 3240112);
    assert.deepEqual(
      pool.endpoints?.map((e) => [e.host, e.port, e.tls, e.dialect]),
      [
        ['rvn.2miners.com', 6060, false, 'kawpow'],
        ['rvn.2miners.com', 16060, true, 'kawpow'],
      ],
    );
  });

  it('without `now`, no block found yet and no node: fetch time, no lastBlockAt, no height', () => {
    const stats = twoMinersStats.parse({ hashrate: '5', stats: { lastBlockFound: 0 } });
    const obs = toPoolObservation(stats, undefined, ctx('CFX'));
    assert.equal(obs.observedAt, FETCHED);
    assert.deepEqual(Object.keys(obs).sort(), [
      'coin',
      'feeFraction',
      'hashrateHs',
      'observedAt',
      'pool',
      'source',
    ]);
  });
});

const stringify = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'number' ? String(v) : v)));

describe('2miners schema', () => {
  it('numbers and numeric strings give the same result', () => {
    const body = fixture('2miners/stats_etc.json');
    assert.deepEqual(twoMinersStats.parse(stringify(body)), twoMinersStats.parse(body));
    const node = { height: 1, difficulty: 2.2532e15, networkhashps: 1.72e14, avgBlockTime: 13.1 };
    assert.deepEqual(twoMinersNode.parse(stringify(node)), twoMinersNode.parse(node));
  });

  it('refuses a body without hashrate and a node with zero difficulty', () => {
    assert.equal(twoMinersStats.safeParse({ minersTotal: 1 }).success, false);
    assert.equal(twoMinersNode.safeParse({ difficulty: '0', networkhashps: '1' }).success, false);
    assert.equal(twoMinersNode.safeParse({ difficulty: 'n/a', networkhashps: '1' }).success, false);
  });
});
