import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect as netConnect } from 'node:net';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  SIM_DIFFICULTY,
  SimMiner,
  SimPool,
  TEST_TLS_CERT,
  TEST_TLS_KEY,
  waitFor,
} from '@smart-mining/testkit';
import {
  localTarget,
  MemoryDecisionSource,
  MemoryDirectory,
  MemoryReportSink,
  testAccount,
} from '../test/memory-ports.ts';
import type { DeclaredPool } from './ports.ts';
import { createProxy } from './proxy.ts';
import { listen } from './server.ts';
import { netDialer } from './upstream/dial.ts';

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** A simulated pool behind TLS with the self-signed test certificate, and its target. */
async function tlsPool() {
  const pool = await SimPool.start({
    algorithm: 'sha256d',
    difficulty: SIM_DIFFICULTY.sha256d,
    tls: { key: TEST_TLS_KEY, cert: TEST_TLS_CERT },
  });
  cleanups.push(() => pool.stop());
  return { pool, target: localTarget('a:BTC', pool.port, { tls: true }) };
}

describe('server: listeners and workers', () => {
  it('a TLS listener toward miners, and a TLS pool upstream', async () => {
    const { target } = await tlsPool();
    const proxy = createProxy({
      listeners: [
        { algorithm: 'sha256d', port: 0, host: '127.0.0.1', tls: { key: TEST_TLS_KEY, cert: TEST_TLS_CERT } },
      ],
      decisions: new MemoryDecisionSource([target]),
      directory: new MemoryDirectory([testAccount('acct', ['BTC'])], [target]),
      reports: new MemoryReportSink(),
      dial: netDialer({ tlsRejectUnauthorized: false }),
    });
    const server = await listen(proxy);
    cleanups.push(
      () => proxy.close(),
      () => server.close(),
    );
    const miner = await SimMiner.start({
      host: '127.0.0.1',
      port: server.addresses[0]!.port,
      tls: true,
      username: 'acct.tls',
      algorithm: 'sha256d',
      maxShares: 3,
    });
    cleanups.push(() => miner.stop());
    await waitFor(() => miner.accepted >= 3, { what: 'shares over TLS both ways' });
  });

  it('TLS connections still handshaking count toward the per-IP limit; finished ones leave it to the proxy', async () => {
    const pool = await SimPool.start({ algorithm: 'sha256d', difficulty: SIM_DIFFICULTY.sha256d });
    cleanups.push(() => pool.stop());
    const target = localTarget('a:BTC', pool.port);
    const proxy = createProxy({
      listeners: [
        {
          algorithm: 'sha256d',
          port: 0,
          host: '127.0.0.1',
          tls: { key: TEST_TLS_KEY, cert: TEST_TLS_CERT },
          limits: { maxConnectionsPerIp: 3 },
        },
      ],
      decisions: new MemoryDecisionSource([target]),
      directory: new MemoryDirectory([testAccount('acct', ['BTC'])], [target]),
      reports: new MemoryReportSink(),
    });
    const server = await listen(proxy);
    cleanups.push(
      () => proxy.close(),
      () => server.close(),
    );
    const port = server.addresses[0]!.port;
    /** A TCP connection that never starts its TLS handshake; `closed` once the proxy drops it. */
    const stalled = async () => {
      const socket = netConnect({ host: '127.0.0.1', port });
      await once(socket, 'connect');
      const state = { socket, closed: false };
      socket.on('close', () => {
        state.closed = true;
      });
      socket.on('error', () => {});
      cleanups.push(() => socket.destroy());
      return state;
    };
    const held = [await stalled(), await stalled(), await stalled()];
    const fourth = await stalled();
    await waitFor(() => fourth.closed, { what: 'the fourth handshake refused' });
    assert.ok(held.every((h) => !h.closed));
    held[0]!.socket.destroy();
    // Room for one once the proxy has seen that close: a miner that finishes its handshake mines, and no longer
    // counts as handshaking.
    const miner = await waitFor(
      () =>
        SimMiner.start({
          host: '127.0.0.1',
          port,
          tls: true,
          username: 'acct.tls',
          algorithm: 'sha256d',
          maxShares: 1,
        }).catch(() => undefined),
      { what: 'a TLS miner let in' },
    );
    cleanups.push(() => miner.stop());
    await waitFor(() => miner.accepted >= 1, { what: 'a share over TLS' });
    const third = await stalled();
    const refused = await stalled();
    await waitFor(() => refused.closed, { what: 'the next handshake past the limit refused' });
    assert.ok(!third.closed);
  });

  it('a pool with a self-signed certificate: refused by default, mined once the pool declares it as its CA', async () => {
    const { pool, target } = await tlsPool();
    const start = async (declared: DeclaredPool) => {
      const directory = new MemoryDirectory([testAccount('acct', ['BTC'])]);
      directory.pools.set(declared.poolKey, declared);
      // The production dialer, public CAs by default: only the declared trust can admit this certificate.
      const proxy = createProxy({
        listeners: [{ algorithm: 'sha256d', port: 0, host: '127.0.0.1' }],
        decisions: new MemoryDecisionSource([target]),
        directory,
        reports: new MemoryReportSink(),
      });
      const server = await listen(proxy);
      cleanups.push(
        () => proxy.close(),
        () => server.close(),
      );
      const miner = await SimMiner.start({
        host: '127.0.0.1',
        port: server.addresses[0]!.port,
        username: 'acct.tls',
        algorithm: 'sha256d',
        maxShares: 2,
      });
      cleanups.push(() => miner.stop());
      return { proxy, miner };
    };
    const { usdPerHsDay: _, ...asDeclared } = target;

    const untrusted = await start(asDeclared);
    await waitFor(
      () => untrusted.proxy.summary().upstreams.find((u) => /certificate/i.test(u.lastError ?? '')),
      { what: 'the pool certificate refused' },
    );
    assert.equal(untrusted.miner.accepted, 0);
    assert.equal(pool.stats().accepted, 0);
    await untrusted.proxy.close();

    const trusted = await start({ ...asDeclared, tls: { ca: TEST_TLS_CERT } });
    await waitFor(() => trusted.miner.accepted >= 2, {
      what: 'shares through the pool the declared CA admits',
    });
  });

  it('a port already in use is an error from listen()', async () => {
    const target = localTarget('a:BTC', 1);
    const deps = {
      decisions: new MemoryDecisionSource([target]),
      directory: new MemoryDirectory([testAccount('acct', ['BTC'])], [target]),
      reports: new MemoryReportSink(),
    };
    const first = createProxy({ ...deps, listeners: [{ algorithm: 'sha256d', port: 0, host: '127.0.0.1' }] });
    const server = await listen(first);
    cleanups.push(
      () => first.close(),
      () => server.close(),
    );
    const second = createProxy({
      ...deps,
      listeners: [{ algorithm: 'sha256d', port: server.addresses[0]!.port, host: '127.0.0.1' }],
    });
    cleanups.push(() => second.close());
    await assert.rejects(listen(second), /EADDRINUSE/);
  });

  it('2 worker processes share one Stratum port; miners landing on either mine', async () => {
    const pool = await SimPool.start({ algorithm: 'sha256d', difficulty: SIM_DIFFICULTY.sha256d });
    cleanups.push(() => pool.stop());
    const script = fileURLToPath(new URL('../test/cluster-node.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, '--pool-port', String(pool.port)]);
    cleanups.push(() => child.kill());
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const ports = new Set<number>();
    const workers = new Set<number>();
    while (workers.size < 2) {
      const { value } = await lines.next();
      const event = JSON.parse(value as string) as { worker: number; port: number };
      workers.add(event.worker);
      ports.add(event.port);
    }
    assert.equal(ports.size, 1, 'both workers on the same port');
    const port = [...ports][0]!;
    const miners = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        SimMiner.start({ host: '127.0.0.1', port, username: `acct.w${i}`, algorithm: 'sha256d' }),
      ),
    );
    for (const m of miners) cleanups.push(() => m.stop());
    await waitFor(() => miners.every((m) => m.accepted >= 2), { what: 'every miner mining' });
    // One upstream per worker (lane 0 of each): the pool sees the two processes.
    await waitFor(() => pool.connections.size === 2, { what: 'two upstream connections' });
  });

  it('a worker that keeps dying soon after it started is restarted after a doubling delay, up to the cap', async () => {
    const script = fileURLToPath(new URL('../test/crash-node.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, '--restarts', '4']);
    cleanups.push(() => child.kill());
    // Bounded: a primary that never reports enough restarts is killed, and the comparison below fails.
    setTimeout(() => child.kill(), 30_000).unref();
    const restarts: { worker: number; code: number; delayMs: number }[] = [];
    for await (const line of createInterface({ input: child.stdout })) restarts.push(JSON.parse(line));
    assert.deepEqual(
      restarts.map((r) => [r.worker, r.code, r.delayMs]),
      [
        [1, 3, 20],
        [1, 3, 40],
        [1, 3, 80],
        [1, 3, 80],
      ],
    );
    assert.equal(child.exitCode ?? (await once(child, 'exit'))[0], 0, 'the primary stopped both workers');
  });
});
