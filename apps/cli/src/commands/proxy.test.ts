// `smart-mining proxy` as a process: it starts itself again with V8's young generation capped, listens, and on
// SIGTERM stops in order and exits 0 — through the launcher, so the signal crosses the re-exec.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { closedPort, waitFor } from '@smart-mining/testkit';

const BIN = fileURLToPath(new URL('../../bin/smart-mining.mjs', import.meta.url));

describe('smart-mining proxy (process)', () => {
  it('runs with --max-semi-space-size=1, follows --api, and exits 0 on SIGTERM', async () => {
    const api = `http://127.0.0.1:${await closedPort()}`;
    const child = spawn(process.execPath, [BIN, 'proxy', '--api', api], {
      env: {
        ...process.env,
        SM_CONFIG: '',
        NODE_OPTIONS: '',
        SM_STRATUM_PORT: '0',
        SM_PROXY_STATUS_PORT: '0',
        SM_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = once(child, 'exit');
    try {
      const started = await waitFor(() => out.split('\n').find((l) => l.includes('"proxy listening"')), {
        what: `proxy listening in:\n${out}`,
        timeoutMs: 60_000,
      });
      const line = JSON.parse(started) as { api: string[]; nodeFlags: string[]; listeners: string[] };
      assert.deepEqual(line.api, [api]);
      assert.ok(line.nodeFlags.includes('--max-semi-space-size=1'), JSON.stringify(line.nodeFlags));
      assert.equal(line.listeners.length, 2);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await exited;
    assert.equal(code, 0, out);
    assert.match(out, /"stopping"/);
  });
});
