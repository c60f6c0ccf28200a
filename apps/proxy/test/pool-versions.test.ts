// Version rolling (BIP 310) toward pools the proxy has never seen: a miner's rolled version bits go up only under a
// mask the pool granted on the connection that issued the job.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeV1Call, type RpcMessage } from '@smart-mining/stratum';
import { RawStratumClient, waitFor } from '@smart-mining/testkit';
import type { ScriptPool } from './script-pool.ts';
import { shapedPool, useScriptProxy } from './script-proxy.ts';
import { findShare } from './share-finder.ts';

const sp = useScriptProxy();

const USER = 'acct.rig1';
const GRANT = { 'version-rolling': true, 'version-rolling.mask': '1fffe000' };

/** A miner that asks for version rolling first (as ASIC firmware does), then subscribes and logs in. */
async function rollingMiner(port: number) {
  const c = await RawStratumClient.connect(port);
  const configured = await c.request('mining.configure', [
    ['version-rolling'],
    { 'version-rolling.mask': '1fffe000', 'version-rolling.min-bit-count': 2 },
  ]);
  assert.equal(configured.kind, 'response');
  const sub = await c.request('mining.subscribe', ['rolling/1']);
  assert.ok(sub.kind === 'response' && Array.isArray(sub.result));
  const [, extranonce1] = sub.result as [unknown, string, number];
  const auth = await c.request('mining.authorize', [USER, 'x']);
  assert.equal(auth.kind === 'response' && auth.result, true);
  const pushes = (method: string) =>
    c.messages.filter(
      (m): m is Extract<RpcMessage, { method: string }> => 'method' in m && m.method === method,
    );
  const jobs = () => {
    let difficulty = 1;
    const out = [];
    for (const m of c.messages) {
      if (m.kind !== 'notification') continue;
      const call = decodeV1Call(m, 'pool');
      if (call.method === 'mining.set_difficulty') difficulty = call.params.difficulty;
      if (call.method === 'mining.notify') out.push({ params: call.params, difficulty });
    }
    return out;
  };
  return { c, extranonce1, pushes, jobs };
}

type RollingMiner = Awaited<ReturnType<typeof rollingMiner>>;

describe('a pool that granted version rolling on one connection but not on the next', () => {
  for (const [how, next] of [
    ['refuses mining.configure', 'refuse'],
    ['closes a handshake before answering it (a restart), then goes without configure', 'close'],
  ] as const) {
    it(`${how}: the miners' mask drops to none, and no rolled share reaches the new connection`, async () => {
      const pool = await shapedPool({
        onRequest(req, conn) {
          if (conn.id === 2 && next === 'close') {
            conn.socket.destroy();
            return true;
          }
          if (req.method !== 'mining.configure') return false;
          if (conn.id === 1) conn.say({ id: req.id, result: GRANT, error: null });
          else conn.say({ id: req.id, result: null, error: [20, 'Unknown method', null] });
          return true;
        },
      });
      await sp.start(pool, { timings: { reconnectMinMs: 1, reconnectMaxMs: 10 } });
      const m = await rollingMiner(sp.h.port);
      try {
        await rollThroughReconnect(pool, m, next === 'close' ? 3 : 2);
      } finally {
        m.c.close();
      }
    });
  }
});

async function rollThroughReconnect(pool: ScriptPool, m: RollingMiner, connections: number): Promise<void> {
  const first = await waitFor(() => m.jobs().at(-1), { what: 'a job', timeoutMs: 10_000 });
  const rolled = findShare('sha256d', first.params, m.extranonce1, '0000a1', first.difficulty, '00002000');
  const accepted = await m.c.request('mining.submit', [USER, first.params.jobId, ...shareParams(rolled)]);
  assert.equal(accepted.kind === 'response' && accepted.result, true);
  assert.equal(pool.submitted()[5], '00002000', 'the granting connection takes the rolled bits');

  pool.connections[0]!.socket.destroy();
  await waitFor(() => pool.open.length === 1 && pool.connections.length === connections, {
    what: 'the new connection',
    timeoutMs: 10_000,
  });
  const narrowed = await waitFor(() => m.pushes('mining.set_version_mask')[0], {
    what: 'set_version_mask',
    timeoutMs: 10_000,
  });
  assert.deepEqual(narrowed.params, ['00000000']);
  const job = await waitFor(() => m.jobs().at(-1)?.params.jobId !== first.params.jobId && m.jobs().at(-1), {
    what: 'a job of the new connection',
    timeoutMs: 10_000,
  });
  const share = findShare('sha256d', job.params, m.extranonce1, '0000a2', job.difficulty, '00002000');
  const answer = await m.c.request('mining.submit', [USER, job.params.jobId, ...shareParams(share)]);
  assert.equal(answer.kind, 'error');
  const sent = pool.open[0]!.requests.filter((r) => r.method === 'mining.submit');
  assert.ok(
    sent.every((r) => (r.params as unknown[]).length === 5),
    'no version bits to this connection',
  );
}

function shareParams(s: {
  extranonce2: string;
  ntime: string;
  nonce: string;
  versionBits?: string;
}): string[] {
  return [s.extranonce2, s.ntime, s.nonce, ...(s.versionBits === undefined ? [] : [s.versionBits])];
}

describe('a configure answer that comes after the first job', () => {
  it('widens the miners’ mask then, and their rolled shares go up with the bits', async () => {
    const pool = await shapedPool({
      onRequest(req, conn) {
        if (req.method !== 'mining.configure') return false;
        // Answered once the connection has a job out (some pools answer their own way round).
        const answer = () => conn.say({ id: req.id, result: GRANT, error: null });
        const wait = setInterval(() => {
          if (conn.requests.some((r) => r.method === 'mining.authorize')) {
            clearInterval(wait);
            setTimeout(answer, 100);
          }
        }, 5);
        return true;
      },
    });
    await sp.start(pool);
    const m = await rollingMiner(sp.h.port);
    try {
      const widened = await waitFor(
        () => m.pushes('mining.set_version_mask').find((p) => (p.params as string[])[0] === '1fffe000'),
        { what: 'the granted mask', timeoutMs: 10_000 },
      );
      const job = m.jobs().at(-1)!;
      assert.ok(
        m.c.messages.indexOf(widened) >
          m.c.messages.findIndex((x) => 'method' in x && x.method === 'mining.notify'),
      );
      const rolled = findShare('sha256d', job.params, m.extranonce1, '0000a1', job.difficulty, '00002000');
      const answer = await m.c.request('mining.submit', [USER, job.params.jobId, ...shareParams(rolled)]);
      assert.equal(answer.kind === 'response' && answer.result, true);
      assert.equal(pool.submitted()[5], '00002000');
    } finally {
      m.c.close();
    }
  });
});
