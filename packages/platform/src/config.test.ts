import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

const noFile = join(tmpdir(), 'sm-no-such-config.json');

describe('loadConfig', () => {
  it('applies defaults with no file and no environment', () => {
    const c = loadConfig({ env: {} });
    assert.equal(c.api.port, 8080);
    assert.equal(c.aggregator.sources.binance.baseUrl, 'https://api.binance.com');
    assert.equal(c.aggregator.sources.twominers.urlTemplate, 'https://{coin}.2miners.com/api');
    assert.equal(c.secrets.minerstatApiKey, undefined);
  });

  it('lets the environment override the file and takes secrets only from the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sm-config-'));
    const file = join(dir, 'c.json');
    writeFileSync(
      file,
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

  it('refuses unknown keys (a secret in the file) and bad values, naming the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sm-config-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ aggregator: { sources: { minerstat: { apiKey: 'secret' } } } }));
    assert.throws(
      () => loadConfig({ file, env: {} }),
      (e: Error) => e instanceof ConfigError && /aggregator\.sources\.minerstat/.test(e.message),
    );
    assert.throws(() => loadConfig({ file: noFile, env: { SM_CONFIG: noFile } }), ConfigError);
    assert.throws(() => loadConfig({ env: { SM_API_PORT: 'abc' } }), /api\.port/);
  });
});
