// `smart-mining proxy --workers 2` as a process: two workers share each Stratum port, each reports under its own
// proxy id and serves its own status port, and SIGTERM to the launcher stops every process in order.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { closedPort, waitFor } from '@smart-mining/testkit';

const BIN = fileURLToPath(new URL('../../bin/smart-mining.mjs', import.meta.url));

interface Listening {
  pid: number;
  worker: number;
  proxyId: string;
  listeners: string[];
  status: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `smart-mining proxy --workers 2` against an API that is not there, its JSON log lines collected. */
async function startWorkers(env: Record<string, string>) {
  const api = `http://127.0.0.1:${await closedPort()}`;
  const child = spawn(process.execPath, [BIN, 'proxy', '--api', api, '--workers', '2'], {
    env: {
      ...process.env,
      SM_CONFIG: '',
      NODE_OPTIONS: '',
      SM_STRATUM_PORT: '0',
      SM_PROXY_ID: 'edge',
      SM_PROXY_WORKERS: '1',
      SM_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = once(child, 'exit');
  const lines = () =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { child, exited, lines, output: () => out };
}

describe('smart-mining proxy --workers (process)', () => {
  it('runs two workers on one Stratum port under distinct ids, and stops them all on SIGTERM', async () => {
    const { child, exited, lines, output } = await startWorkers({ SM_PROXY_STATUS_PORT: '0' });
    const sockets: Socket[] = [];
    const pids: number[] = [];
    try {
      const workers = await waitFor(
        () => {
          const found = lines().filter((l) => l.msg === 'proxy listening') as unknown as Listening[];
          return found.length === 2 ? found : undefined;
        },
        { what: 'two workers listening', timeoutMs: 60_000 },
      );
      const primary = lines().find((l) => l.msg === 'proxy workers started') as { pid: number };
      pids.push(primary.pid, ...workers.map((w) => w.pid));
      assert.equal(new Set(pids).size, 3, 'a primary and two worker processes');
      // The flag wins over SM_PROXY_WORKERS=1.
      assert.deepEqual(workers.map((w) => w.proxyId).sort(), ['edge/worker-0', 'edge/worker-1']);
      assert.deepEqual(workers[0]!.listeners, workers[1]!.listeners, 'the same Stratum ports');
      assert.notEqual(workers[0]!.status, workers[1]!.status, 'a status port each');

      const port = Number(workers[0]!.listeners[0]!.split(':').at(-1));
      for (let i = 0; i < 6; i++) {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => {});
        sockets.push(socket);
      }
      const summaries = () =>
        Promise.all(
          workers.map(async (w) => {
            const res = await fetch(`${w.status}/summary`);
            return (await res.json()) as { proxyId: string; connections: number };
          }),
        );
      // node:cluster hands connections out in turn: each worker holds some of the six.
      const seen = await waitFor(
        async () => {
          const s = await summaries();
          return s.reduce((n, x) => n + x.connections, 0) === 6 ? s : undefined;
        },
        { what: 'six miners connected' },
      );
      assert.ok(
        seen.every((s) => s.connections > 0),
        JSON.stringify(seen),
      );
      assert.deepEqual(seen.map((s) => s.proxyId).sort(), ['edge/worker-0', 'edge/worker-1']);
    } finally {
      for (const s of sockets) s.destroy();
      child.kill('SIGTERM');
    }
    const [code] = await exited;
    assert.equal(code, 0, output());
    const stopped = lines().filter((l) => l.msg === 'stopped');
    assert.equal(stopped.length, 3, 'the primary and each worker stopped in order');
    assert.ok(
      stopped.every((l) => l.code === 0),
      output(),
    );
    await waitFor(() => pids.every((pid) => !alive(pid)), { what: 'no process left', timeoutMs: 10_000 });
  });

  it('stops every process and exits non-zero when a worker cannot start, instead of forking it again', async () => {
    const busy = createServer();
    busy.listen(0, '127.0.0.1');
    await once(busy, 'listening');
    try {
      const port = (busy.address() as AddressInfo).port;
      // Worker 0's status port is taken.
      const { child, exited, lines, output } = await startWorkers({ SM_PROXY_STATUS_PORT: String(port) });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const [code] = await exited;
      clearTimeout(timer);
      assert.equal(code, 1, output());
      const failed = lines().find((l) => l.msg === 'proxy worker failed to start: stopping the others');
      // Worker 1's port (+ 1) may be taken too (by a Stratum listener's free port): either failure stops all.
      assert.ok(failed && [0, 1].includes(failed.worker as number), output());
      assert.match(output(), /EADDRINUSE: address already in use 127\.0\.0\.1:/);
      const pids = [...new Set(lines().map((l) => l.pid as number))];
      assert.ok(pids.length <= 3, `no worker forked again: ${output()}`);
      await waitFor(() => pids.every((pid) => !alive(pid)), { what: 'no process left', timeoutMs: 10_000 });
    } finally {
      busy.close();
    }
  });
});
