// Tests for `start`, `api` and `proxy` when an address is taken (the API's, a Stratum listener's, the proxy's
// status port): refused before the database is opened, with the setting to change; and when listening fails
// later, what was opened is closed again.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDb } from '@smart-mining/db';
import { loadConfig, setPath } from '@smart-mining/platform';
import { apiCommand } from './api.ts';
import { proxyCommand } from './proxy.ts';
import { startCommand } from './start.ts';

describe('start, api and proxy on a port in use', () => {
  const root = mkdtempSync(join(tmpdir(), 'sm-start-'));
  let taken: Server;
  let port: number;
  before(async () => {
    taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    port = (taken.address() as { port: number }).port;
  });
  after(async () => {
    taken.close();
    rmSync(root, { recursive: true, force: true });
  });

  const configFor = (dataDir: string) =>
    loadConfig({
      file: null,
      env: { SM_API_PORT: String(port), SM_DATA_DIR: dataDir, SM_LOG_LEVEL: 'silent' },
    });

  /** The API on a free port; the proxy's listeners on loopback, its status port as `env` says (default: any). */
  const proxyConfigFor = (
    dataDir: string,
    env: NodeJS.ProcessEnv,
    listeners: Record<string, unknown>[] = [{ algorithm: 'sha256d', host: '127.0.0.1' }],
  ) =>
    loadConfig({
      file: null,
      env: {
        SM_API_PORT: '0',
        SM_STRATUM_PORT: '0',
        SM_PROXY_STATUS_PORT: '0',
        SM_PROXY_STATUS_HOST: '127.0.0.1',
        SM_DATA_DIR: dataDir,
        SM_LOG_LEVEL: 'silent',
        ...env,
      },
      overrides: (raw) => setPath(raw, ['proxy', 'listeners'], listeners),
    });
  const refusal = (setting: string) => (e: Error & { code?: string }) => {
    assert.equal(e.code, 'SM_CLI_PORT_UNAVAILABLE');
    assert.equal(
      e.message,
      `cannot listen on 127.0.0.1:${port}: port ${port} is in use by another program (EADDRINUSE): ` +
        `stop it, or choose another port with ${setting}`,
    );
    return true;
  };

  for (const [setting, env] of [
    ['SM_STRATUM_PORT', () => ({ SM_STRATUM_PORT: String(port) })],
    ['SM_PROXY_STATUS_PORT', () => ({ SM_PROXY_STATUS_PORT: String(port) })],
  ] as const) {
    it(`start: a proxy port taken names ${setting} and opens no database`, async () => {
      const dataDir = join(root, `start-proxy-${setting}`);
      await assert.rejects(startCommand({ config: proxyConfigFor(dataDir, env()) }), refusal(setting));
      assert.equal(existsSync(dataDir), false);
    });
  }

  it("proxy: a listener's own port taken names its config path", async () => {
    const config = proxyConfigFor(join(root, 'proxy'), {}, [
      { algorithm: 'sha256d', host: '127.0.0.1' },
      { algorithm: 'scrypt', host: '127.0.0.1', port },
    ]);
    await assert.rejects(proxyCommand({}, { config }), refusal('proxy.listeners.1.port'));
  });

  for (const [name, command] of [
    ['start', startCommand],
    ['api', apiCommand],
  ] as const) {
    it(`${name}: names SM_API_PORT and opens no database`, async () => {
      const dataDir = join(root, `${name}-refused`);
      await assert.rejects(command({ config: configFor(dataDir) }), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'SM_CLI_PORT_UNAVAILABLE');
        assert.equal(
          e.message,
          `cannot listen on 127.0.0.1:${port}: port ${port} is in use by another program (EADDRINUSE): ` +
            'stop it, or choose another port with SM_API_PORT',
        );
        return true;
      });
      assert.equal(existsSync(dataDir), false);
    });

    it(`${name}: run beside another on the same embedded database, names that process before its port`, async () => {
      // What a running `start` leaves in its data directory: a lock naming a live process (here, our parent).
      const dataDir = join(root, `${name}-held`);
      mkdirSync(dataDir);
      const holder = {
        pid: process.ppid,
        hostname: hostname(),
        command: 'smart-mining.mjs start',
        startedAt: 'then',
      };
      writeFileSync(join(dataDir, 'smart-mining.lock'), JSON.stringify(holder));
      await assert.rejects(command({ config: configFor(dataDir) }), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'SM_DB_LOCKED');
        assert.match(
          e.message,
          new RegExp(`in use by process ${process.ppid} \\(smart-mining\\.mjs start, since then\\)`),
        );
        return true;
      });
    });

    it(`${name}: closes the database when listening fails after it was opened`, async () => {
      const dataDir = join(root, `${name}-late`);
      const skipCheck = async () => {};
      await assert.rejects(command({ config: configFor(dataDir), checkPort: skipCheck }), /EADDRINUSE/);
      // The PGlite lock is free again: the database was closed.
      const db = await createDb({ dataDir });
      await db.close();
    });
  }
});
