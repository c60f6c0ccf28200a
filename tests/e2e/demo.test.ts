// `npm run demo` run briefly as a user runs it: a spawned process with short intervals, the dashboard URL and the
// Stratum lines it prints, the declared simulated pools, a switch the proxy made as the market moved, and SIGINT
// stopping it cleanly (exit 0, its temporary folder gone).

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { waitFor } from '@smart-mining/testkit';

const DEMO = new URL('../../scripts/demo.ts', import.meta.url).pathname;

describe('npm run demo', () => {
  // The demo's own TMPDIR: what it leaves behind is seen there.
  const tmp = mkdtempSync(join(tmpdir(), 'sm-demo-test-'));
  let child: ChildProcess | undefined;
  let stdout = '';
  let stderr = '';
  after(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  });

  it('prints the dashboard URL and Stratum lines, a switch reaches the API, and it stops on SIGINT', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', DEMO], {
      env: {
        ...process.env,
        TMPDIR: tmp,
        SM_DEMO_API_PORT: '0',
        SM_DEMO_STRATUM_PORT: '0',
        SM_DEMO_INTERVAL_S: '5',
        SM_DEMO_SCENARIO_SCALE: '0.05',
        SM_DEMO_MINERS: '12',
        SM_DEMO_REPORT_S: '2',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const url = await waitFor(() => /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)?.[1], {
      what: 'the dashboard URL',
      timeoutMs: 60_000,
      intervalMs: 50,
    });
    assert.match(stdout, /Ctrl-C stops everything/);
    assert.match(stdout, /miners \(scrypt\): stratum\+tcp:\/\/127\.0\.0\.1:\d+/);
    assert.match(stdout, /miners \(sha256d\): stratum\+tcp:\/\/127\.0\.0\.1:\d+/);
    // The scenario at 0.05: a step every 3 s.
    await waitFor(() => /market step 2\/6: DOGE price ×1\.4/.test(stdout), {
      what: 'a market step',
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<div id="app"|<script/);
    assert.equal((await fetch(`${url}health`)).status, 200);
    // The first ingest writes the declared pools: two scrypt, two sha256d, each on a simulated pool's port.
    const pools = await waitFor(
      async () => {
        const body = (await (await fetch(`${url}v1/pools`)).json()) as { pools: { poolKey: string }[] };
        const keys = body.pools.map((p) => p.poolKey).filter((k) => k.startsWith('sim-'));
        return keys.length === 4 ? keys.sort() : undefined;
      },
      { what: 'the declared pools', timeoutMs: 120_000, intervalMs: 1000 },
    );
    assert.deepEqual(pools, ['sim-btc-a:BTC', 'sim-btc-b:BTC', 'sim-doge:DOGE', 'sim-ltc:LTC']);

    // The market moves, and the proxy moves its simulated miners: a switch the proxy reported to the API.
    const { switches } = await waitFor(
      async () => {
        const r = (await (await fetch(`${url}v1/switches?proxy=demo`)).json()) as {
          switches: { fromPoolKey: string | null; toPoolKey: string; method: string }[];
        };
        return r.switches.some((s) => s.fromPoolKey !== null && s.toPoolKey.startsWith('sim-'))
          ? r
          : undefined;
      },
      { what: 'a switch in /v1/switches', timeoutMs: 120_000, intervalMs: 1000 },
    );
    assert.ok(switches.every((s) => s.method === 'notify'));
    const miners = (await (await fetch(`${url}v1/miners?proxy=demo`)).json()) as {
      miners: { miner: string }[];
    };
    assert.ok(new Set(miners.miners.map((m) => m.miner)).size >= 12);

    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, stderr);
    assert.match(stdout, /SIGINT: stopping/);
    // tsx keeps its compile cache there (tsx-<uid>); the demo's own folders start with sm-.
    assert.deepEqual(
      readdirSync(tmp).filter((name) => !name.startsWith('tsx-')),
      [],
    );
  });
});
