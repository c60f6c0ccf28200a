// Tests for `start` and `api` when the address is taken: refused before the database is opened, with the setting
// to change; and when listening fails later, what was opened is closed again.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDb } from '@smart-mining/db';
import { loadConfig } from '@smart-mining/platform';
import { apiCommand } from './api.ts';
import { startCommand } from './start.ts';

describe('start and api on a port in use', () => {
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
