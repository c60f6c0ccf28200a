// `smart-mining proxy` as a process: it starts itself again with V8's young generation capped, listens, and on
// SIGTERM stops in order and exits 0 — through the launcher, so the signal crosses the re-exec; killed outright, the
// launcher takes the started-again process with it.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { closedPort, waitFor } from '@smart-mining/testkit';

const BIN = fileURLToPath(new URL('../../bin/smart-mining.mjs', import.meta.url));

/** `smart-mining proxy` against an API that is not there, its output collected; resolves with its listening line. */
async function startProxy() {
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
  const run = { api, child, out: '', exited: once(child, 'exit') };
  child.stdout.on('data', (d) => (run.out += d));
  child.stderr.on('data', (d) => (run.out += d));
  const listening = () =>
    waitFor(() => run.out.split('\n').find((l) => l.includes('"proxy listening"')), {
      what: 'proxy listening',
      timeoutMs: 60_000,
    });
  return { ...run, listening, output: () => run.out };
}

describe('smart-mining proxy (process)', () => {
  it('runs with --max-semi-space-size=1, follows --api, and exits 0 on SIGTERM', async () => {
    const proxy = await startProxy();
    try {
      const line = JSON.parse(await proxy.listening()) as {
        api: string[];
        nodeFlags: string[];
        listeners: string[];
      };
      assert.deepEqual(line.api, [proxy.api]);
      assert.ok(line.nodeFlags.includes('--max-semi-space-size=1'), JSON.stringify(line.nodeFlags));
      assert.equal(line.listeners.length, 2);
    } finally {
      proxy.child.kill('SIGTERM');
    }
    const [code] = await proxy.exited;
    assert.equal(code, 0, proxy.output());
    assert.match(proxy.output(), /"stopping"/);
  });

  it('the started-again process stops when the launcher is killed outright', async () => {
    const proxy = await startProxy();
    const { pid } = JSON.parse(await proxy.listening()) as { pid: number };
    assert.notEqual(pid, proxy.child.pid, 'the proxy runs in the started-again process');
    proxy.child.kill('SIGKILL');
    await proxy.exited;
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await waitFor(() => !alive(), { what: `process ${pid} gone`, timeoutMs: 20_000 });
  });
});
