// Tests for the configuration: file under environment, every problem at once, variables named, odd files refused.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CONFIG_ENV_NAMES, ConfigError, loadConfig } from './config.ts';

const noFile = join(tmpdir(), 'sm-no-such-config.json');
const dir = mkdtempSync(join(tmpdir(), 'sm-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** A config file in this suite's temp folder (removed after the suite). */
function configFile(text: string): string {
  const file = join(dir, `c${++files}.json`);
  writeFileSync(file, text);
  return file;
}

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
  assert.fail('expected a ConfigError');
}

/** The problems loading the config with only `env` set. */
const envProblems = (env: NodeJS.ProcessEnv) => problemsOf(() => loadConfig({ env }));

describe('loadConfig', () => {
  it('sizes pools per role, places the aggregator status port and its lease, from file or environment', () => {
    const d = loadConfig({ file: null, env: {} });
    assert.deepEqual(d.database.pool, { api: 10, aggregator: 4 });
    assert.deepEqual(d.aggregator.status, { host: '127.0.0.1', port: 8081 });
    assert.deepEqual(d.aggregator.lease, { ttlS: 30, renewS: 10 });
    const c = loadConfig({
      file: null,
      env: {
        SM_DB_POOL_API: '20',
        SM_DB_POOL_AGGREGATOR: '2',
        SM_AGGREGATOR_STATUS_HOST: '0.0.0.0',
        SM_AGGREGATOR_STATUS_PORT: '9100',
        SM_AGGREGATOR_LEASE_S: '12',
        SM_AGGREGATOR_LEASE_RENEW_S: '3',
      },
    });
    assert.deepEqual(c.database.pool, { api: 20, aggregator: 2 });
    assert.deepEqual(c.aggregator.status, { host: '0.0.0.0', port: 9100 });
    assert.deepEqual(c.aggregator.lease, { ttlS: 12, renewS: 3 });
    for (const name of [
      'SM_DB_POOL_API',
      'SM_AGGREGATOR_STATUS_PORT',
      'SM_AGGREGATOR_LEASE_S',
      'SM_API_TOKEN',
    ]) {
      assert.ok(CONFIG_ENV_NAMES.includes(name), name);
    }
  });

  it('refuses a lease renewed no sooner than it expires, and an empty pool', () => {
    const problems = problemsOf(() =>
      loadConfig({
        file: null,
        env: { SM_AGGREGATOR_LEASE_S: '5', SM_AGGREGATOR_LEASE_RENEW_S: '5', SM_DB_POOL_API: '0' },
      }),
    );
    assert.ok(
      problems.some((p) => /renewS must be below ttlS/.test(p)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('SM_DB_POOL_API="0"')),
      problems.join('\n'),
    );
  });

  it('applies defaults with no file and no environment', () => {
    const c = loadConfig({ env: {} });
    assert.equal(c.api.port, 8080);
    assert.equal(c.aggregator.sources.binance.baseUrl, 'https://api.binance.com');
    assert.equal(c.aggregator.sources.twominers.urlTemplate, 'https://{coin}.2miners.com/api');
    assert.equal(c.secrets.minerstatApiKey, undefined);
  });

  it('lets the environment override the file and takes secrets only from the environment', () => {
    const file = configFile(
      JSON.stringify({ api: { port: 9000 }, aggregator: { sources: { binance: { intervalS: 30 } } } }),
    );
    const c = loadConfig({
      file,
      env: { SM_API_PORT: '9100', MINERSTAT_API_KEY: 'k', SM_SOURCE_NANOPOOL_URL: 'http://x/{coin}' },
    });
    assert.equal(c.api.port, 9100);
    assert.equal(c.aggregator.sources.binance.intervalS, 30);
    assert.equal(c.aggregator.sources.nanopool.urlTemplate, 'http://x/{coin}');
    assert.equal(c.secrets.minerstatApiKey, 'k');
  });

  it('keeps raw history 30 days unless told otherwise, and never less than a day', () => {
    assert.equal(loadConfig({ env: {} }).aggregator.historyRetentionDays, 30);
    const file = configFile(JSON.stringify({ aggregator: { historyRetentionDays: 90 } }));
    assert.equal(loadConfig({ file, env: {} }).aggregator.historyRetentionDays, 90);
    assert.equal(
      loadConfig({ file, env: { SM_HISTORY_RETENTION_DAYS: '45' } }).aggregator.historyRetentionDays,
      45,
    );
    assert.match(envProblems({ SM_HISTORY_RETENTION_DAYS: '0.5' }).join('\n'), /historyRetentionDays/);
  });

  it('refuses unknown keys (a secret in the file) and bad values, naming the file and the path', () => {
    const file = configFile(JSON.stringify({ aggregator: { sources: { minerstat: { apiKey: 'secret' } } } }));
    assert.deepEqual(
      problemsOf(() => loadConfig({ file, env: {} })),
      [`config file ${file}: aggregator.sources.minerstat: Unrecognized key: "apiKey"`],
    );
    assert.throws(() => loadConfig({ file: noFile, env: { SM_CONFIG: noFile } }), /not found/);
  });

  it('names the environment variable when its value is the problem', () => {
    assert.deepEqual(envProblems({ SM_API_PORT: 'abc' }), ['SM_API_PORT="abc": is not a number']);
    assert.deepEqual(envProblems({ SM_API_PORT: '70000' }), [
      'SM_API_PORT="70000": Too big: expected number to be <=65535 (config api.port)',
    ]);
  });

  it('reports every problem at once, from the file and the environment', () => {
    const file = configFile(JSON.stringify({ api: { port: -1 }, log: { level: 'loud' } }));
    const problems = problemsOf(() =>
      loadConfig({
        file,
        env: { SM_ELECTRICITY_USD_PER_KWH: 'cheap', SM_SOURCE_BINANCE_URL: 'not a url' },
      }),
    );
    assert.equal(problems.length, 4, problems.join('\n'));
    assert.match(problems.join('\n'), /SM_ELECTRICITY_USD_PER_KWH="cheap": is not a number/);
    assert.match(
      problems.join('\n'),
      /SM_SOURCE_BINANCE_URL="not a url": .*\(config aggregator\.sources\.binance\.baseUrl\)/,
    );
    assert.match(problems.join('\n'), /config file .*: api\.port: Too small/);
    assert.match(problems.join('\n'), /config file .*: log\.level: /);
    const error = (() => {
      try {
        loadConfig({ file, env: {} });
      } catch (e) {
        return e as Error;
      }
    })();
    assert.match(error?.message ?? '', /^2 configuration problems:\n {2}config file .*\n {2}config file /);
  });

  it('refuses a file that holds null, an array or a number, without crashing', () => {
    for (const [text, found] of [
      ['null', 'null'],
      ['[]', 'an array'],
      ['42', 'number'],
    ]) {
      const file = configFile(text!);
      assert.deepEqual(
        problemsOf(() => loadConfig({ file, env: { SM_API_PORT: '9000' } })),
        [`config file ${file} must hold a JSON object ({...}), found ${found}`],
      );
    }
    const file = configFile('{"api": null}');
    assert.deepEqual(
      problemsOf(() => loadConfig({ file, env: {} })),
      [`config file ${file}: api: expected object, received null`],
    );
  });
});

describe('loadConfig: the proxy section', () => {
  it('defaults to a sha256d and a scrypt listener from port 3333, a status port, no accounts', () => {
    const { proxy, secrets } = loadConfig({ env: {} });
    assert.equal(proxy.stratumPort, 3333);
    assert.deepEqual(
      proxy.listeners.map((l) => [l.algorithm, l.port, l.upstreamMode, l.defaultProfile]),
      [
        ['sha256d', undefined, 'shared', 'max-usd-coin'],
        ['scrypt', undefined, 'shared', 'max-usd-coin'],
      ],
    );
    assert.equal(proxy.statusPort, 9333);
    assert.deepEqual(proxy.accounts, {});
    assert.equal(proxy.apiUrls, undefined);
    assert.equal(secrets.proxyToken, undefined);
  });

  it('takes listeners and accounts from the file, URLs, ports, id and token from the environment', () => {
    const file = configFile(
      JSON.stringify({
        proxy: {
          listeners: [
            { algorithm: 'scrypt', upstreamMode: 'per-miner', fallbackPool: 'sim:LTC' },
            { algorithm: 'sha256d', prefixBytes: 2, extranonce2Size: 4 },
          ],
          accounts: { alice: { LTC: 'Lwallet', DOGE: 'Dwallet' } },
          apiUrls: ['http://file:8080'],
        },
      }),
    );
    const c = loadConfig({
      file,
      env: {
        SM_PROXY_API_URLS: 'http://a:8080, http://b:8080',
        SM_STRATUM_PORT: '4444',
        SM_PROXY_STATUS_PORT: '0',
        SM_PROXY_ID: 'edge-1',
        SM_PROXY_TOKEN: 'sm_proxy_secret',
      },
    });
    assert.deepEqual(c.proxy.apiUrls, ['http://a:8080', 'http://b:8080']);
    assert.equal(c.proxy.stratumPort, 4444);
    assert.equal(c.proxy.statusPort, 0);
    assert.equal(c.proxy.id, 'edge-1');
    assert.equal(c.proxy.listeners[0]!.upstreamMode, 'per-miner');
    assert.equal(c.proxy.listeners[0]!.fallbackPool, 'sim:LTC');
    assert.deepEqual([c.proxy.listeners[1]!.prefixBytes, c.proxy.listeners[1]!.extranonce2Size], [2, 4]);
    assert.deepEqual(c.proxy.accounts.alice, { LTC: 'Lwallet', DOGE: 'Dwallet' });
    assert.equal(c.secrets.proxyToken, 'sm_proxy_secret');
  });

  it('refuses unknown keys and bad values, naming the path or the variable', () => {
    const file = configFile(
      JSON.stringify({
        proxy: {
          listeners: [{ algorithm: 'ethash', port: 3333, colour: 'red' }],
          accounts: { 'a.b': { ltc: 'x' } },
        },
      }),
    );
    const problems = problemsOf(() => loadConfig({ file, env: { SM_PROXY_API_URLS: 'ftp://x,http://ok' } }));
    assert.ok(
      problems.includes(`config file ${file}: proxy.listeners.0: Unrecognized key: "colour"`),
      problems.join('\n'),
    );
    assert.ok(problems.some((p) => p.startsWith(`config file ${file}: proxy.listeners.0.algorithm:`)));
    assert.ok(problems.some((p) => p.startsWith(`config file ${file}: proxy.accounts.a.b:`)));
    assert.ok(
      problems.some(
        (p) =>
          p.startsWith('SM_PROXY_API_URLS="ftp://x,http://ok": ') && p.endsWith('(config proxy.apiUrls.0)'),
      ),
      problems.join('\n'),
    );
    assert.deepEqual(envProblems({ SM_PROXY_API_URLS: ' , ' }), [
      'SM_PROXY_API_URLS=" , ": is an empty list',
    ]);
  });

  it('refuses a standby on a per-miner listener, naming its path among the other problems', () => {
    const file = configFile(
      JSON.stringify({
        proxy: {
          listeners: [
            { algorithm: 'sha256d', upstreamMode: 'per-miner', standby: true },
            { algorithm: 'scrypt' },
          ],
        },
      }),
    );
    assert.deepEqual(
      problemsOf(() => loadConfig({ file, env: { SM_API_PORT: 'x' } })),
      [
        'SM_API_PORT="x": is not a number',
        `config file ${file}: proxy.listeners.0.standby: per-miner mode keeps no standby (it would double every ` +
          'miner’s pool connections): remove it',
      ],
    );
    const perMiner = configFile(
      JSON.stringify({
        proxy: { listeners: [{ algorithm: 'sha256d', upstreamMode: 'per-miner', standby: false }] },
      }),
    );
    assert.equal(loadConfig({ file: perMiner, env: {} }).proxy.listeners[0]!.standby, false);
  });

  it('runs one proxy process unless proxy.workers or SM_PROXY_WORKERS asks for more', () => {
    assert.equal(loadConfig({ env: {} }).proxy.workers, 1);
    const file = configFile(JSON.stringify({ proxy: { workers: 2 } }));
    assert.equal(loadConfig({ file, env: {} }).proxy.workers, 2);
    assert.equal(loadConfig({ file, env: { SM_PROXY_WORKERS: '4' } }).proxy.workers, 4);
    assert.equal(loadConfig({ env: { SM_PROXY_WORKERS: '64' } }).proxy.workers, 64);
  });

  it('refuses a worker count that is not a whole number from 1 to 64, or ids the API would refuse', () => {
    for (const workers of [0, -1, 1.5, 65, '2', null]) {
      const file = configFile(JSON.stringify({ proxy: { workers } }));
      const problems = problemsOf(() => loadConfig({ file, env: {} }));
      assert.equal(problems.length, 1, problems.join('\n'));
      assert.ok(problems[0]!.startsWith(`config file ${file}: proxy.workers: `), problems[0]);
    }
    assert.deepEqual(envProblems({ SM_PROXY_WORKERS: 'two' }), ['SM_PROXY_WORKERS="two": is not a number']);
    assert.deepEqual(envProblems({ SM_PROXY_WORKERS: '0' }), [
      'SM_PROXY_WORKERS="0": Too small: expected number to be >=1 (config proxy.workers)',
    ]);
    // 'x' * 192 + '/worker-1' is 201 characters: over the API's 200.
    const longId = { SM_PROXY_ID: 'x'.repeat(192), SM_PROXY_WORKERS: '2' };
    const [problem, ...more] = problemsOf(() => loadConfig({ env: longId }));
    assert.deepEqual(more, []);
    assert.match(
      problem!,
      /^SM_PROXY_ID="x+": with 2 workers, must be at most 191 characters \(config proxy\.id\)$/,
    );
    assert.equal(loadConfig({ env: { ...longId, SM_PROXY_WORKERS: '1' } }).proxy.id.length, 192);
    assert.deepEqual(envProblems({ SM_PROXY_STATUS_PORT: '65535', SM_PROXY_WORKERS: '2' }), [
      'SM_PROXY_STATUS_PORT="65535": with 2 workers (status ports 65535…65536), must be at most 65534 (config proxy.statusPort)',
    ]);
  });
});
