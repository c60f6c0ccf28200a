// A proxy process (`smart-mining proxy --api A B`) in front of two API processes on one PostgreSQL, mining on a
// pool declared at a simulated pool: one API killed, the miners stay connected and mining, and decisions come
// from the other API (its event stream moved there).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { appendEvent, createToken, type Db } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { silentLogger } from '@smart-mining/platform';
import {
  type ReplayServer,
  SIM_DIFFICULTY,
  SimMiner,
  SimPool,
  startReplayServer,
  waitFor,
} from '@smart-mining/testkit';
import { buildAggregator } from '../../apps/cli/src/compose.ts';
import { type CliProcess, runCli } from './cli-process.ts';
import { replayConfig, replayProcessEnv } from './support.ts';

const postgres = testDatabases().find((d) => d.name === 'postgres');

describe('a proxy given two APIs on one PostgreSQL', {
  skip: !postgres && 'no DATABASE_URL: several processes share one PostgreSQL',
}, () => {
  let db: Db & { url?: string };
  let server: ReplayServer;
  let dir: string;
  const processes: CliProcess[] = [];

  const spawnApi = async (env: NodeJS.ProcessEnv) => {
    const p = runCli(['api'], { ...env, SM_API_PORT: '0' });
    processes.push(p);
    return { process: p, url: String((await p.waitForLog('API listening')).url) };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sm-fleet-proxy-'));
    db = await postgres!.open();
    server = await startReplayServer(0, { now: () => new Date() });
    // The market, once: LTC gets its value.
    await buildAggregator(replayConfig(server), db, silentLogger).runOnce();
  });
  after(async () => {
    for (const p of processes) p.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited()));
    await server?.close();
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a proxy given both API URLs keeps its miners when one API dies', async () => {
    const pool = await SimPool.start({ algorithm: 'scrypt', difficulty: SIM_DIFFICULTY.scrypt, id: 'f1f1' });
    const miners: SimMiner[] = [];
    try {
      const endpoints = [{ host: '127.0.0.1', port: pool.port, tls: false, dialect: 'stratum-v1' }];
      await db.query(
        `INSERT INTO pools (pool_key, pool, coin, fee_fraction, endpoints, observed_at, updated_at, stale)
         VALUES ('simfleet:LTC', 'simfleet', 'LTC', 0.01, $1::jsonb, now(), now(), false)`,
        [JSON.stringify(endpoints)],
      );
      const env = { ...replayProcessEnv(server, dir), DATABASE_URL: db.url };
      const [a, b] = await Promise.all([spawnApi(env), spawnApi(env)]);
      const file = join(dir, 'proxy.config.json');
      writeFileSync(
        file,
        JSON.stringify({
          proxy: {
            id: 'fleet-proxy',
            listeners: [{ algorithm: 'scrypt', host: '127.0.0.1', port: 0 }],
            accounts: { acct: { LTC: 'ltc-wallet' } },
            statusPort: 0,
          },
        }),
      );
      const proxy = runCli(['proxy', '--api', a!.url, b!.url], {
        DATABASE_URL: '',
        SM_CONFIG: file,
        SM_PROXY_TOKEN: (await createToken(db, { name: 'fleet-proxy' })).token,
      });
      processes.push(proxy);
      const listening = await proxy.waitForLog('proxy listening');
      const port = Number(
        String((listening.listeners as string[])[0])
          .split(':')
          .at(-1),
      );
      const status = String(listening.status);
      for (const name of ['acct.f1', 'acct.f2']) {
        miners.push(await SimMiner.start({ host: '127.0.0.1', port, algorithm: 'scrypt', username: name }));
      }
      const accepted = (m: SimMiner) => m.shares.filter((x) => x.accepted === true).length;
      await waitFor(() => miners.every((m) => accepted(m) >= 2), { what: 'shares through the proxy' });

      a!.process.kill('SIGKILL');
      await a!.process.exited();
      const killedAt = Date.now();
      // A market change after the kill: only the remaining API can bring the proxy its event and decision.
      await db.transaction((tx) => appendEvent(tx, 'rankings-changed', { cause: 'ingest' }));
      await waitFor(
        async () => {
          const summary = (await (await fetch(`${status}/summary`)).json()) as {
            routes: { target: string; decision: { at: string | null; error: string | null } }[];
          };
          const route = summary.routes[0];
          return route?.decision.at && Date.parse(route.decision.at) > killedAt && !route.decision.error
            ? route
            : undefined;
        },
        { what: 'a decision from the remaining API' },
      );
      const before = miners.map(accepted);
      await waitFor(() => miners.every((m, i) => accepted(m) >= before[i]! + 2), {
        what: 'mining goes on after the kill',
      });
      for (const m of miners) {
        assert.equal(m.reconnects.length, 0);
        assert.equal(m.state, 'mining');
      }
      assert.ok(
        proxy.logs().some((l) => l.msg === 'event stream open' && l.url === `${b!.url}/v1/events`),
        'the event stream moved to the remaining API',
      );
    } finally {
      for (const m of miners) m.stop();
      await pool.stop();
    }
  });
});
