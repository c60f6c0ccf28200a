import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@smart-mining/testkit';
import { type Harness, startHarness } from '../../test/harness.ts';
import type { MinerSummary, ProxySummary } from '../stats/summary.ts';
import { type StatusServer, startStatusServer } from './status-server.ts';

describe('status server', () => {
  let h: Harness;
  let status: StatusServer;
  let base: string;
  before(async () => {
    h = await startHarness({ algorithm: 'sha256d', pools: [{ poolKey: 'a:BTC' }] });
    status = await startStatusServer(h.proxy, { port: 0 });
    base = `http://127.0.0.1:${status.port}`;
    const miner = await h.miner({ username: 'acct.rig7', maxShares: 3 });
    await waitFor(() => miner.accepted >= 3);
  });
  after(async () => {
    await status.close();
    await h.stop();
  });

  it('/summary: miners, routes, upstreams and pools as JSON', async () => {
    const res = await fetch(`${base}/summary`);
    assert.equal(res.status, 200);
    const summary = (await res.json()) as ProxySummary;
    assert.equal(summary.miners.authorized, 1);
    assert.equal(summary.routes[0]?.target, 'a:BTC');
    assert.equal(summary.upstreams[0]?.state, 'ready');
    assert.ok(summary.pools.find((p) => p.poolKey === 'a:BTC')!.accepted >= 3);
  });

  it('/miners: each authorized miner with its counters', async () => {
    const { miners } = (await (await fetch(`${base}/miners?limit=10`)).json()) as { miners: MinerSummary[] };
    assert.equal(miners.length, 1);
    assert.equal(miners[0]!.miner, 'acct.rig7');
    assert.equal(miners[0]!.poolKey, 'a:BTC');
    assert.ok(miners[0]!.accepted >= 3);
    assert.equal((await fetch(`${base}/miners?limit=0`)).status, 400);
  });

  it('/metrics: Prometheus text with the proxy’s metrics', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    assert.match(text, /sm_proxy_shares_total\{pool="a:BTC",result="accepted"\} [1-9]/);
    assert.match(text, /sm_proxy_miners\{state="authorized"\} 1/);
    assert.match(text, /sm_proxy_upstreams\{pool="a:BTC",state="ready"\} 1/);
  });

  it('unknown paths and methods: a JSON error', async () => {
    assert.equal((await fetch(`${base}/nope`)).status, 404);
    assert.equal((await fetch(`${base}/summary`, { method: 'POST' })).status, 405);
  });
});
