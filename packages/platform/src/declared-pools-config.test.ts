// The config's `pools`: declared pools parsed into endpoints with their dialect, every bad entry named by its path.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

const dir = mkdtempSync(join(tmpdir(), 'sm-pools-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function withPools(pools: unknown): string {
  const file = join(dir, `p${++files}.json`);
  writeFileSync(file, JSON.stringify({ pools }));
  return file;
}

function problemsOf(file: string): string[] {
  try {
    loadConfig({ file, env: {} });
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems.map((p) => p.replace(`config file ${file}: `, ''));
  }
  assert.fail('expected a ConfigError');
}

const LTC = {
  key: 'viabtc:LTC',
  coin: 'LTC',
  algorithm: 'scrypt',
  feeFraction: 0.02,
  urls: ['stratum+tcp://ltc.viabtc.io:3333', 'stratum+ssl://ltc.viabtc.io:553'],
};

describe('config pools', () => {
  it("loads the README's example", () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Declared pools'));
    const example = /```json\n([\s\S]*?)```/.exec(section)?.[1];
    assert.ok(example, 'the Declared pools section holds a json block');
    const file = join(dir, 'readme.json');
    writeFileSync(file, example);
    const { pools } = loadConfig({ file, env: {} });
    assert.deepEqual(
      pools.map((p) => [p.poolKey, p.endpoints.length, p.endpoints[0]!.dialect]),
      [
        ['viabtc:LTC', 2, 'stratum-v1'],
        ['2miners:ETC', 1, 'ethereum-stratum'],
      ],
    );
  });

  it('keeps a declared login password for the proxy, and refuses an empty one', () => {
    const { pools } = loadConfig({ file: withPools([{ ...LTC, password: 'c=LTC' }]), env: {} });
    assert.equal(pools[0]?.password, 'c=LTC');
    assert.equal(loadConfig({ file: withPools([LTC]), env: {} }).pools[0]?.password, undefined);
    assert.deepEqual(problemsOf(withPools([{ ...LTC, password: '' }])), [
      'pools.0.password: Too small: expected string to have >=1 characters',
    ]);
  });

  it('keeps how the proxy checks a pool certificate; refuses it without an ssl URL, and a CA file with no check', () => {
    const ssl = { ...LTC, tls: { caFile: '/etc/pool-ca.pem' } };
    assert.deepEqual(loadConfig({ file: withPools([ssl]), env: {} }).pools[0]?.tls, {
      caFile: '/etc/pool-ca.pem',
    });
    assert.deepEqual(
      loadConfig({ file: withPools([{ ...LTC, tls: { verify: false } }]), env: {} }).pools[0]?.tls,
      {
        verify: false,
      },
    );
    assert.equal(loadConfig({ file: withPools([LTC]), env: {} }).pools[0]?.tls, undefined);
    const tcpOnly = { ...LTC, urls: ['stratum+tcp://ltc.viabtc.io:3333'], tls: { verify: false } };
    assert.deepEqual(problemsOf(withPools([tcpOnly])), [
      'pools.0.tls: applies to stratum+ssl:// URLs, and none is given',
    ]);
    assert.deepEqual(problemsOf(withPools([{ ...LTC, tls: { caFile: '/ca.pem', verify: false } }])), [
      'pools.0.tls: caFile has no use with verify false: set one or the other',
    ]);
    assert.equal(problemsOf(withPools([{ ...LTC, tls: { ca: 'x' } }])).length, 1, 'unknown keys refused');
  });

  it('has none by default', () => {
    assert.deepEqual(loadConfig({ file: null, env: {} }).pools, []);
  });

  it('parses a declared pool into endpoints whose dialect follows the algorithm', () => {
    const kas = {
      key: 'herominers:KAS',
      coin: 'KAS',
      algorithm: 'kheavyhash',
      feeFraction: 0.009,
      urls: ['stratum+tls://[2001:db8::1]:1206/'],
    };
    const { pools } = loadConfig({ file: withPools([LTC, kas]), env: {} });
    assert.deepEqual(pools, [
      {
        poolKey: 'viabtc:LTC',
        pool: 'viabtc',
        coin: 'LTC',
        algorithm: 'scrypt',
        feeFraction: 0.02,
        endpoints: [
          { host: 'ltc.viabtc.io', port: 3333, tls: false, dialect: 'stratum-v1' },
          { host: 'ltc.viabtc.io', port: 553, tls: true, dialect: 'stratum-v1' },
        ],
      },
      {
        poolKey: 'herominers:KAS',
        pool: 'herominers',
        coin: 'KAS',
        algorithm: 'kheavyhash',
        feeFraction: 0.009,
        endpoints: [{ host: '2001:db8::1', port: 1206, tls: true, dialect: 'kaspa' }],
      },
    ]);
  });

  it('takes an explicit dialect where the algorithm has none of its own', () => {
    const alph = {
      key: 'x:BTC',
      coin: 'BTC',
      algorithm: 'sha256d',
      feeFraction: 0,
      urls: ['stratum+tcp://h:1'],
    };
    const { pools } = loadConfig({ file: withPools([{ ...alph, dialect: 'ethproxy' }]), env: {} });
    assert.equal(pools[0]!.endpoints[0]!.dialect, 'ethproxy');
  });

  it('names the path of every bad key, coin, algorithm, fee and URL', () => {
    const problems = problemsOf(
      withPools([
        { ...LTC, key: 'ViaBTC LTC' },
        { ...LTC, key: 'viabtc:DOGE' },
        { ...LTC, key: 'x:NOPE', coin: 'NOPE' },
        { ...LTC, key: 'x:LTC', algorithm: 'sha256d' },
        { ...LTC, key: 'y:LTC', algorithm: 'scrypt-n' },
        { ...LTC, key: 'z:LTC', feeFraction: 1 },
        {
          ...LTC,
          key: 'w:LTC',
          urls: ['http://ltc.viabtc.io:3333', 'stratum+tcp://ltc.viabtc.io', 'stratum+tcp://h:70000'],
        },
        { ...LTC, key: 'v:LTC', urls: [] },
        { ...LTC, key: 'u:LTC', dialect: 'stratum-v9' },
        LTC,
        { ...LTC, port: 1 },
      ]),
    );
    assert.deepEqual(problems, [
      'pools.5.feeFraction: Too big: expected number to be <1',
      'pools.7.urls: Too small: expected array to have >=1 items',
      'pools.10: Unrecognized key: "port"',
    ]);
    // Shape problems are reported first; the entries' meaning is checked once the shape holds.
    const meaning = problemsOf(
      withPools([
        { ...LTC, key: 'ViaBTC LTC' },
        { ...LTC, key: 'viabtc:DOGE' },
        { ...LTC, key: 'x:NOPE', coin: 'NOPE' },
        { ...LTC, key: 'x:LTC', algorithm: 'sha256d' },
        { ...LTC, key: 'y:LTC', algorithm: 'scrypt-n' },
        {
          ...LTC,
          key: 'w:LTC',
          urls: ['http://ltc.viabtc.io:3333', 'stratum+tcp://ltc.viabtc.io', 'stratum+tcp://h:70000'],
        },
        { ...LTC, key: 'u:LTC', dialect: 'stratum-v9' },
        LTC,
        LTC,
      ]),
    );
    assert.equal(meaning[0], 'pools.0.key: "ViaBTC LTC" is not <pool>:<COIN> (e.g. viabtc:LTC)');
    assert.equal(meaning[1], 'pools.1.key: "viabtc:DOGE" names coin DOGE, but coin is "LTC"');
    assert.match(meaning[2]!, /^pools\.2\.coin: unknown coin "NOPE" \(known: BTC, LTC, DOGE/);
    assert.equal(meaning[3], 'pools.3.algorithm: LTC is mined with scrypt, not sha256d');
    assert.match(meaning[4]!, /^pools\.4\.algorithm: unknown algorithm "scrypt-n" \(known: sha256d, scrypt/);
    assert.deepEqual(meaning.slice(5, 8), [
      'pools.5.urls.0: "http://ltc.viabtc.io:3333" is not stratum+tcp://host:port or stratum+ssl://host:port',
      'pools.5.urls.1: "stratum+tcp://ltc.viabtc.io" is not stratum+tcp://host:port or stratum+ssl://host:port',
      'pools.5.urls.2: "stratum+tcp://h:70000": port 70000 is not 1–65535',
    ]);
    assert.match(meaning[8]!, /^pools\.6\.dialect: unknown dialect "stratum-v9" \(known: stratum-v1/);
    assert.equal(meaning[9], 'pools.8.key: "viabtc:LTC" is declared twice');
    assert.equal(meaning.length, 10, meaning.join('\n'));
  });
});
