// The proxy as `smart-mining proxy` composes it, against a real API on a real socket: listeners from the config
// section, decisions and reports over HTTP with the proxy token, the status port, and the orderly stop (a last
// miner report, client.reconnect to every miner, switch reports flushed).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createToken, type Db } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { ConfigError, createLogger, loadConfig, setPath, silentLogger } from '@smart-mining/platform';
import { closedPort, SIM_DIFFICULTY, SimMiner, SimPool, TEST_TLS_CERT, waitFor } from '@smart-mining/testkit';
import { insertCoin, openTestApp, secondsBefore, T0, type TestApp } from '../../api/src/test-support.ts';
import {
  composedTimings,
  declaredPoolLookup,
  listenerInputs,
  localApiUrl,
  startProxyService,
} from './proxy-compose.ts';

const configWith = (proxy: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) =>
  loadConfig({
    file: null,
    env: { SM_LOG_LEVEL: 'silent', ...env },
    overrides: (raw) => setPath(raw, ['proxy'], proxy),
  });

/** The default config with one declared pool. */
const configWithPool = (pool: Record<string, unknown>) =>
  loadConfig({ file: null, env: {}, overrides: (raw) => setPath(raw, ['pools'], [pool]) });

describe('proxy composition from the config', () => {
  it('waits for a decision long enough for every API URL to be tried once', () => {
    // Defaults: 5 s per URL; one or two URLs fit the 10 s the route waits anyway.
    assert.equal(composedTimings(configWith({}), 1).decisionTimeoutMs, 10_000);
    assert.equal(composedTimings(configWith({}), 2).decisionTimeoutMs, 11_000);
    // Three URLs, the first two hung: the third's answer still arrives within the wait.
    assert.equal(composedTimings(configWith({ apiTimeoutMs: 5000 }), 3).decisionTimeoutMs, 16_000);
    // A raised per-request timeout is waited for.
    assert.equal(composedTimings(configWith({ apiTimeoutMs: 20_000 }), 1).decisionTimeoutMs, 21_000);
    const t = composedTimings(configWith({ decisionIntervalS: 30, reportIntervalS: 15 }), 1);
    assert.deepEqual([t.decisionIntervalS, t.reportIntervalS], [30, 15]);
  });

  it('numbers listener ports from stratumPort, keeps 0 as any port, names an unreadable TLS file, finds declared pools', () => {
    const c = configWith({
      listeners: [
        { algorithm: 'sha256d', prefixBytes: 2, standby: false, vardiff: { targetShareS: 30 } },
        { algorithm: 'scrypt', upstreamMode: 'per-miner' },
      ],
    });
    assert.deepEqual(
      listenerInputs(c).map((l) => [l.algorithm, l.port, l.upstreamMode, l.prefixBytes, l.standby]),
      [
        ['sha256d', 3333, 'shared', 2, false],
        ['scrypt', 3334, 'per-miner', undefined, undefined],
      ],
    );
    assert.deepEqual(
      listenerInputs(c).map((l) => l.vardiff),
      [{ targetShareS: 30 }, undefined],
    );
    const any = configWith({
      stratumPort: 0,
      listeners: [{ algorithm: 'sha256d' }, { algorithm: 'scrypt' }],
    });
    assert.deepEqual(
      listenerInputs(any).map((l) => l.port),
      [0, 0],
    );
    const tls = configWith({
      listeners: [{ algorithm: 'sha256d', tls: { keyFile: '/no/such/key.pem', certFile: '/no/cert' } }],
    });
    assert.throws(
      () => listenerInputs(tls),
      (e: ConfigError) =>
        e instanceof ConfigError &&
        /proxy\.listeners\.0\.tls\.keyFile: cannot read \/no\/such\/key\.pem/.test(e.message),
    );
    const declared = configWithPool({
      key: 'viabtc:LTC',
      coin: 'LTC',
      algorithm: 'scrypt',
      feeFraction: 0.02,
      urls: ['stratum+ssl://ltc.viabtc.io:553'],
      password: 'c=LTC',
    });
    assert.deepEqual(declaredPoolLookup(declared)('viabtc:LTC'), {
      poolKey: 'viabtc:LTC',
      coin: 'LTC',
      algorithm: 'scrypt',
      feeFraction: 0.02,
      endpoints: [{ host: 'ltc.viabtc.io', port: 553, tls: true, dialect: 'stratum-v1' }],
      password: 'c=LTC',
    });
    assert.equal(declaredPoolLookup(declared)('viabtc:DOGE'), undefined);
    const withTls = (tls: Record<string, unknown>) =>
      configWithPool({
        key: 'solo:BTC',
        coin: 'BTC',
        algorithm: 'sha256d',
        feeFraction: 0.01,
        urls: ['stratum+ssl://solo.example:4333'],
        tls,
      });
    const caDir = mkdtempSync(join(tmpdir(), 'sm-pool-ca-'));
    const caFile = join(caDir, 'ca.pem');
    writeFileSync(caFile, TEST_TLS_CERT);
    assert.deepEqual(declaredPoolLookup(withTls({ caFile }))('solo:BTC')?.tls, { ca: TEST_TLS_CERT });
    rmSync(caDir, { recursive: true, force: true });
    assert.deepEqual(declaredPoolLookup(withTls({ verify: false }))('solo:BTC')?.tls, { verify: false });
    assert.throws(
      () => declaredPoolLookup(withTls({ caFile: '/no/such/ca.pem' })),
      (e: ConfigError) =>
        e instanceof ConfigError && /pools\.0\.tls\.caFile: cannot read \/no\/such\/ca\.pem/.test(e.message),
    );
    assert.equal(
      localApiUrl(configWith({}, { SM_API_HOST: '0.0.0.0', SM_API_PORT: '9000' })),
      'http://127.0.0.1:9000',
    );
  });
});

describe('proxy started without accounts', () => {
  it('warns that every miner is refused, and does not once an account or a bare-wallet coin is set', async () => {
    const api = `http://127.0.0.1:${await closedPort()}`;
    const warnings = async (proxy: Record<string, unknown>) => {
      let out = '';
      const logger = createLogger('warn', {
        write: (line: string) => {
          out += line;
        },
      });
      const listeners = [{ algorithm: 'sha256d', host: '127.0.0.1', port: 0 }];
      const config = configWith({ listeners, statusPort: null, ...proxy }, { SM_PROXY_TOKEN: 'smp_x' });
      const service = await startProxyService(config, logger, { apiUrls: [api] });
      await service.stop();
      return out
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => (JSON.parse(l) as { msg: string }).msg)
        .filter((m) => m.includes('account'));
    };
    assert.deepEqual(await warnings({}), [
      'no proxy.accounts (nor proxy.bareWalletCoins) in the config file: every miner is refused until one is set',
    ]);
    assert.deepEqual(await warnings({ accounts: { alice: { BTC: 'bc1q' } } }), []);
    assert.deepEqual(await warnings({ bareWalletCoins: ['BTC'] }), []);
  });
});

async function seed(db: Db, poolPort: number): Promise<void> {
  const at = secondsBefore(T0, 30);
  await insertCoin(db, { coin: 'LTC', algorithm: 'scrypt', usdPerHsDay: 4e-9, observedAt: at });
  await db.query(
    `INSERT INTO pools (pool_key, pool, coin, fee_fraction, endpoints, observed_at, updated_at, stale)
     VALUES ('sim:LTC', 'sim', 'LTC', 0.01, $1::jsonb, $2, $2, false)`,
    [JSON.stringify([{ host: '127.0.0.1', port: poolPort, tls: false, dialect: 'stratum-v1' }]), at],
  );
}

for (const database of testDatabases()) {
  describe(`smart-mining proxy against an API (${database.name})`, () => {
    let pool: SimPool;
    let t: TestApp;
    let apiUrl: string;

    before(async () => {
      pool = await SimPool.start({ algorithm: 'scrypt', difficulty: SIM_DIFFICULTY.scrypt, id: 'c0c0' });
      t = await openTestApp(database, {}, (db) => seed(db, pool.port));
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      apiUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    });
    after(async () => {
      await t?.close();
      await pool?.stop();
    });

    it('mines on the decided pool, serves its status port, and on stop reports, tells miners to reconnect, flushes', async () => {
      const config = configWith(
        {
          id: 'cli-proxy',
          listeners: [{ algorithm: 'scrypt', host: '127.0.0.1', port: 0 }],
          accounts: { acct: { LTC: 'ltc-wallet' } },
          statusPort: 0,
          drainS: 1,
        },
        { SM_PROXY_TOKEN: (await createToken(t.db, { name: 'cli-proxy' })).token },
      );
      const service = await startProxyService(config, silentLogger, { apiUrls: [apiUrl] });
      const miner = await SimMiner.start({
        host: '127.0.0.1',
        port: service.stratum.addresses[0]!.port,
        algorithm: 'scrypt',
        username: 'acct.rig1',
      });
      try {
        await waitFor(() => miner.shares.filter((s) => s.accepted === true).length >= 2, { what: 'shares' });
        const summary = (await (await fetch(`http://127.0.0.1:${service.status!.port}/summary`)).json()) as {
          routes: { target: string }[];
        };
        assert.equal(summary.routes[0]?.target, 'sim:LTC');

        await service.stop();
        assert.equal(miner.reconnects.length, 1, 'client.reconnect on stop');
        const reported = (await (await fetch(`${apiUrl}/v1/miners?proxy=cli-proxy`)).json()) as {
          miners: { miner: string; poolKey: string; accepted: number }[];
        };
        assert.equal(reported.miners[0]?.miner, 'acct.rig1');
        assert.equal(reported.miners[0]?.poolKey, 'sim:LTC');
        assert.ok(reported.miners[0]!.accepted >= 2);
        assert.equal(service.ports.events.state, 'stopped');
      } finally {
        miner.stop();
        await service.stop();
      }
    });
  });
}
