// Graceful shutdown of the real command on SIGTERM (PostgreSQL): the API answers the request in flight, then
// exits 0; the aggregator finishes its ingest, frees the lease and leaves no session behind, then exits 0.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDb, type Db, readLease } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { type ReplayServer, startReplayServer, waitFor } from '@smart-mining/testkit';
import { type CliProcess, runCli } from './cli-process.ts';
import { replayProcessEnv } from './support.ts';

const postgres = testDatabases().find((d) => d.name === 'postgres');
const TOKEN = 'shutdown-test-admin-token';

/** Sessions of this database opened by processes of `role` (their application_name). */
async function sessionsOf(db: Db, url: string, role: string): Promise<number> {
  const name = new URL(url).pathname.slice(1);
  const [row] = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = $2',
    [name, `smart-mining ${role}`],
  );
  return row!.n;
}

describe('SIGTERM on PostgreSQL', { skip: !postgres && 'no DATABASE_URL' }, () => {
  let db: Db & { url?: string };
  let server: ReplayServer;
  let dir: string;
  const processes: CliProcess[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sm-shutdown-'));
    db = await postgres!.open();
    server = await startReplayServer(0, { now: () => new Date() });
  });
  after(async () => {
    for (const p of processes) p.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited()));
    await server?.close();
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the API answers the request in flight, then stops and exits 0', async () => {
    const api = runCli(['api'], { DATABASE_URL: db.url, SM_API_PORT: '0', SM_API_TOKEN: TOKEN });
    processes.push(api);
    const url = new URL(String((await api.waitForLog('API listening')).url));
    const body = JSON.stringify({
      name: 'in-flight',
      definition: { filters: { coins: { allow: ['ETC'] } } },
    });
    // Expect: 100-continue: the "continue" answer proves the server holds the request before the signal.
    const req = request({
      host: url.hostname,
      port: url.port,
      method: 'POST',
      path: '/v1/profiles',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        expect: '100-continue',
      },
    });
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
    });
    const continued = new Promise((resolve) => req.on('continue', resolve));
    req.flushHeaders();
    await continued;

    api.kill('SIGTERM');
    await api.waitForLog('stopping');
    assert.equal(api.child.exitCode, null, 'the API waits for the request in flight');
    req.end(body);
    const res = await answered;
    assert.equal(res.status, 201, res.text);
    assert.equal(await api.exited(), 0, api.stderr);
    assert.ok(api.logs().some((l) => l.msg === 'stopped'));
    const [stored] = await db.query<{ name: string }>("SELECT name FROM profiles WHERE name = 'in-flight'");
    assert.equal(stored?.name, 'in-flight');
    assert.equal(await sessionsOf(db, db.url!, 'api'), 0, 'no session left open');
  });

  it('the aggregator finishes its ingest, frees the lease, leaves no session, exits 0', async () => {
    const agg = runCli(['aggregate'], {
      ...replayProcessEnv(server, dir, { intervalS: 1, leaseS: 5, renewS: 1 }),
      DATABASE_URL: db.url,
      SM_AGGREGATOR_STATUS_PORT: '0',
    });
    processes.push(agg);
    const status = String((await agg.waitForLog('aggregator status listening')).url);
    const health = async () =>
      (await (await fetch(`${status}/health`)).json()) as {
        role: string;
        holder: string;
        lastCycle: unknown;
      };
    await waitFor(async () => (await health()).role === 'leader', 'the aggregator to lead');
    const { holder } = await health();
    assert.equal((await readLease(db)).holder, holder);
    // Every source has run once and Binance keeps ingesting every second: the signal meets a busy aggregator.
    await waitFor(async () => {
      const [row] = await db.query<{ n: number }>(
        'SELECT count(DISTINCT source)::int AS n FROM source_runs WHERE aggregator = $1',
        [holder],
      );
      return row!.n === 7;
    }, 'a run of every source');

    agg.kill('SIGTERM');
    assert.equal(await agg.exited(), 0, agg.stderr);
    const lease = await readLease(db);
    assert.equal(lease.holder, null, 'the lease is free for a standby at once');
    assert.ok(lease.expiresAt.getTime() <= Date.now() + 1000);
    assert.equal(await sessionsOf(db, db.url!, 'aggregator'), 0, 'no session left open');
    const logged = agg.logs().filter((l) => l.msg === 'source ok' || l.msg === 'source failed').length;
    const [stored] = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM source_runs WHERE aggregator = $1',
      [holder],
    );
    assert.equal(stored!.n, logged, 'every run the aggregator logged was committed, nothing half-written');
    assert.ok(agg.logs().some((l) => l.msg === 'lease released'));
  });
});

describe('SIGTERM on PGlite', () => {
  let server: ReplayServer;
  const dir = mkdtempSync(join(tmpdir(), 'sm-shutdown-lite-'));
  let agg: CliProcess | undefined;
  before(async () => {
    server = await startReplayServer(0, { now: () => new Date() });
  });
  after(async () => {
    agg?.kill('SIGKILL');
    await agg?.exited();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the aggregator alone holds the lease, commits what it logged, frees the lease and exits 0', async () => {
    const dataDir = join(dir, 'pglite');
    agg = runCli(['aggregate'], {
      ...replayProcessEnv(server, dir, { intervalS: 1, leaseS: 5, renewS: 1 }),
      DATABASE_URL: '',
      SM_DATA_DIR: dataDir,
      SM_AGGREGATOR_STATUS_PORT: '0',
    });
    const status = String((await agg.waitForLog('aggregator status listening')).url);
    const health = async () =>
      (await (await fetch(`${status}/health`)).json()) as {
        role: string;
        holder: string;
        lastCycle: unknown;
      };
    await waitFor(async () => (await health()).lastCycle !== null, 'an ingest');
    const { holder, role } = await health();
    assert.equal(role, 'leader');
    await agg.waitForLog('source ok', (l) => l.source === 'whattomine');

    agg.kill('SIGTERM');
    assert.equal(await agg.exited(), 0, agg.stderr);
    const logged = agg.logs().filter((l) => l.msg === 'source ok' || l.msg === 'source failed').length;
    const db = await createDb({ dataDir });
    try {
      assert.equal((await readLease(db)).holder, null);
      const [stored] = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM source_runs WHERE aggregator = $1',
        [holder],
      );
      assert.equal(stored!.n, logged);
    } finally {
      await db.close();
    }
  });
});
