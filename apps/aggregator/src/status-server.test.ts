// The aggregator's status port: /health says leader or standby and the last cycle, /metrics is Prometheus text.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { AggregatorStatus } from './aggregator.ts';
import { registerStatusMetrics, startStatusServer } from './status-server.ts';

describe('aggregator status server', () => {
  it('answers /health and /metrics from the current status, 404 elsewhere', async () => {
    let status: AggregatorStatus = { role: 'standby', holder: 'host:1:abc' };
    const registry = new Registry();
    registerStatusMetrics(registry, () => status);
    const server = await startStatusServer({ host: '127.0.0.1', port: 0, registry, status: () => status });
    try {
      const standby = await (await fetch(`${server.url}/health`)).json();
      assert.deepEqual(standby, {
        status: 'ok',
        role: 'standby',
        holder: 'host:1:abc',
        epoch: null,
        lastCycle: null,
      });
      assert.match(await (await fetch(`${server.url}/metrics`)).text(), /^sm_aggregator_leader 0$/m);

      const at = new Date('2026-11-30T08:00:00Z');
      status = {
        role: 'leader',
        holder: 'host:1:abc',
        epoch: 7,
        lastCycle: { at, ok: true, durationMs: 12.4 },
      };
      const leader = await fetch(`${server.url}/health`);
      assert.equal(leader.status, 200);
      assert.deepEqual(await leader.json(), {
        status: 'ok',
        role: 'leader',
        holder: 'host:1:abc',
        epoch: 7,
        lastCycle: { at: at.toISOString(), ok: true, durationMs: 12 },
      });
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      assert.match(metrics, /^sm_aggregator_leader 1$/m);
      assert.match(
        metrics,
        new RegExp(`^sm_aggregator_last_cycle_timestamp_seconds ${at.getTime() / 1000}$`, 'm'),
      );

      assert.equal((await fetch(`${server.url}/nope`)).status, 404);
      assert.equal((await fetch(`${server.url}/health`, { method: 'POST' })).status, 405);
    } finally {
      await server.close();
    }
  });
});
