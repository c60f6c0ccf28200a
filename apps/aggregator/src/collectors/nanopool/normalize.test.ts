// Nanopool schema + normalize against the fixtures: display units → H/s, earnings → USD per H/s per day.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture } from '@smart-mining/testkit';
import { parseBody } from '../collector.ts';
import { toCoinObservation, toPoolObservation } from './normalize.ts';
import { nanopoolCount, nanopoolEarnings, nanopoolFailure, nanopoolSeconds } from './schema.ts';

const AT = new Date('2024-02-16T16:36:12Z');
const close = (actual: number | undefined, expected: number, rel = 1e-6) =>
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) <= Math.abs(expected) * rel,
    `${actual} ≉ ${expected}`,
  );
const earnings = (file: string) => parseBody(nanopoolEarnings, fixture(`nanopool/${file}`), file).data;
const count = (file: string) => parseBody(nanopoolCount, fixture(`nanopool/${file}`), file).data;

describe('nanopool normalize: coin', () => {
  it('ETC earnings at 100 MH/s → 0.27103188e-8 USD per H/s per day, price and block time', () => {
    const blockTimeS = parseBody(
      nanopoolSeconds,
      fixture('nanopool/network_avgblocktime_etc.json'),
      't',
    ).data;
    const earningsEtc = earnings('approximated_earnings_etc_100.json');
    const readings = { coin: 'ETC', unitHs: 1e6, earningsHashrateDisplay: 100, earnings: earningsEtc };
    const obs = toCoinObservation({ ...readings, blockTimeS }, AT);
    close((obs.usdPerHsDay ?? 0) * 1e8, 0.27103188);
    assert.equal(obs.priceUsd, 27.61);
    assert.equal(obs.blockTimeS, 13.1);
    assert.equal(obs.source, 'nanopool');
    assert.equal(obs.coin, 'ETC');
    assert.equal(obs.observedAt, AT);
  });

  it('XMR earnings at 10000 H/s (display unit H/s) → 0.21069741e-4 USD per H/s per day', () => {
    const readings = {
      coin: 'XMR',
      unitHs: 1,
      earningsHashrateDisplay: 10_000,
      earnings: earnings('approximated_earnings_xmr_10000.json'),
    };
    const obs = toCoinObservation(readings, AT);
    close((obs.usdPerHsDay ?? 0) * 1e4, 0.21069741);
    assert.equal(obs.priceUsd, 124.37);
    assert.equal('blockTimeS' in obs, false, 'no block time read → no key');
  });
});

describe('nanopool normalize: pool', () => {
  it('ETC pool hashrate in MH/s → H/s, counts, fee and the configured endpoints', () => {
    const readings = {
      coin: 'ETC',
      unitHs: 1e6,
      hashrateDisplay: count('pool_hashrate_etc.json'),
      miners: count('pool_activeminers_etc.json'),
      workers: count('pool_activeworkers_etc.json'),
      feeFraction: 0.01,
    };
    const obs = toPoolObservation(readings, AT);
    assert.equal(obs.hashrateHs, 4823456.7e6);
    assert.equal(obs.miners, 1874);
    assert.equal(obs.workers, 4312);
    assert.equal(obs.feeFraction, 0.01);
    assert.equal(obs.pool, 'nanopool');
    assert.deepEqual(obs.endpoints, [
      { host: 'etc-eu1.nanopool.org', port: 10100, tls: false, dialect: 'ethereum-stratum', region: 'eu' },
      { host: 'etc-eu1.nanopool.org', port: 10200, tls: true, dialect: 'ethereum-stratum', region: 'eu' },
    ]);
  });

  it('leaves out counts that were not read and endpoints of coins without a table entry', () => {
    const obs = toPoolObservation({ coin: 'CFX', unitHs: 1e6, hashrateDisplay: 2, feeFraction: 0.01 }, AT);
    assert.equal(obs.hashrateHs, 2e6);
    assert.deepEqual(Object.keys(obs).sort(), [
      'coin',
      'feeFraction',
      'hashrateHs',
      'observedAt',
      'pool',
      'source',
    ]);
  });

  it('XMR endpoints use the cryptonote dialect', () => {
    const obs = toPoolObservation({ coin: 'XMR', unitHs: 1, hashrateDisplay: 1, feeFraction: 0.01 }, AT);
    assert.deepEqual(
      obs.endpoints?.map((e) => [e.host, e.port, e.tls, e.dialect]),
      [
        ['xmr-eu1.nanopool.org', 10300, false, 'cryptonote'],
        ['xmr-eu1.nanopool.org', 10343, true, 'cryptonote'],
      ],
    );
  });
});

describe('nanopool schema', () => {
  it('recognises the status:false body and refuses it as data', () => {
    const body = fixture('nanopool/error_not_found.json');
    assert.equal(nanopoolFailure.parse(body).error, 'Account not found');
    assert.equal(nanopoolCount.safeParse(body).success, false);
  });

  it('accepts numbers as strings and yields the same numbers', () => {
    const body = fixture<{ data: unknown }>('nanopool/approximated_earnings_etc_100.json');
    const stringified = JSON.parse(JSON.stringify(body, (_k, v) => (typeof v === 'number' ? String(v) : v)));
    assert.deepEqual(nanopoolEarnings.parse(stringified), nanopoolEarnings.parse(body));
    assert.equal(nanopoolCount.parse({ status: true, data: '4823456.7' }).data, 4823456.7);
  });

  it('refuses a zero block time, a negative count and earnings without dollars', () => {
    assert.equal(nanopoolSeconds.safeParse({ status: true, data: 0 }).success, false);
    assert.equal(nanopoolCount.safeParse({ status: true, data: -1 }).success, false);
    const body = fixture<{ data: { day: Record<string, unknown> } }>(
      'nanopool/approximated_earnings_etc_100.json',
    );
    delete body.data.day.dollars;
    assert.equal(nanopoolEarnings.safeParse(body).success, false);
  });
});
