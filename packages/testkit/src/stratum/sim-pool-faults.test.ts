import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { parseSubscribeResult, type RpcMessage } from '@smart-mining/stratum';
import { waitFor } from '../wait-for.ts';
import { RawStratumClient } from './raw-client.ts';
import { SimMiner } from './sim-miner.ts';
import { SIM_DIFFICULTY, SIM_LOAD_DIFFICULTY, SimPool } from './sim-pool.ts';

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function pool(extra: Partial<ConstructorParameters<typeof SimPool>[0]> = {}) {
  const p = await SimPool.start({ algorithm: 'sha256d', difficulty: SIM_LOAD_DIFFICULTY.sha256d, ...extra });
  cleanups.push(() => p.stop());
  return p;
}

async function client(p: SimPool) {
  const c = await RawStratumClient.connect(p.port);
  cleanups.push(() => c.close());
  return c;
}

const errorCode = (m: RpcMessage) => (m.kind === 'error' ? m.error.code : undefined);

async function miner(p: SimPool) {
  const m = await SimMiner.start({ host: '127.0.0.1', port: p.port, username: 'a.b', algorithm: 'sha256d' });
  cleanups.push(() => m.stop());
  return m;
}

/** A subscribed and authorized raw client with the job it was sent. */
async function ready(p: SimPool, worker = 'acct.raw') {
  const c = await client(p);
  const sub = await c.request('mining.subscribe', ['raw/1.0']);
  assert.equal(sub.kind, 'response');
  const { extranonce2Size } = parseSubscribeResult(sub.kind === 'response' ? sub.result : null);
  assert.equal((await c.request('mining.authorize', [worker, 'x'])).kind, 'response');
  const notify = await c.nextCall('mining.notify');
  const [jobId, , , , , , , ntime] = notify.params as string[];
  const xn2 = (n: number) => n.toString(16).padStart(extranonce2Size * 2, '0');
  const submit = (params: unknown[]) => c.request('mining.submit', [worker, ...params]);
  return { c, jobId: jobId!, ntime: ntime!, xn2, submit };
}

describe('simulated pool rejections (codes 20–25)', () => {
  it('25 not subscribed, 24 unauthorized (submit and authorize), 21 unknown job, 22 duplicate', async () => {
    const p = await pool({ authorize: (u) => u !== 'nobody' });
    const c = await client(p);
    assert.equal(errorCode(await c.request('mining.submit', ['w', '1', '00', '00000000', '00000000'])), 25);
    await c.request('mining.subscribe', []);
    assert.equal(errorCode(await c.request('mining.submit', ['w', '1', '00', '00000000', '00000000'])), 24);
    const refused = await c.request('mining.authorize', ['nobody', 'x']);
    assert.equal(errorCode(refused), 24);
    assert.equal(refused.kind === 'error' && refused.result, false);

    const r = await ready(p);
    assert.equal(errorCode(await r.submit(['ffff', r.xn2(1), r.ntime, '00000000'])), 21);
    assert.equal((await r.submit([r.jobId, r.xn2(1), r.ntime, '00000001'])).kind, 'response');
    assert.equal(errorCode(await r.submit([r.jobId, r.xn2(1), r.ntime, '00000001'])), 22);
    assert.deepEqual(p.stats().rejectedByCode, { 21: 1, 22: 1, 24: 1, 25: 1 });
  });

  it('23 low difficulty: a share checked at the difficulty of its job', async () => {
    const p = await pool();
    const r = await ready(p);
    p.setDifficulty(1e6);
    const job = p.pushJob();
    await r.c.nextCall('mining.set_difficulty', 3);
    assert.equal(errorCode(await r.submit([job.jobId, r.xn2(2), job.ntime, '00000002'])), 23);
    // The earlier job keeps the difficulty it was sent with.
    assert.equal((await r.submit([r.jobId, r.xn2(3), r.ntime, '00000003'])).kind, 'response');
    const low = p.shares.find((s) => s.errorCode === 23)!;
    assert.equal(low.difficulty, 1e6);
    assert.ok(low.hashDifficulty < 1e6);
  });

  it('21 for a job cleaned by a new block, shared or made for one connection', async () => {
    const p = await pool();
    const r = await ready(p);
    await r.c.request('mining.extranonce.subscribe', []);
    const from = r.c.messages.length;
    const [conn] = p.setExtranonce();
    const own = await r.c.nextCall('mining.notify', from);
    const ownJobId = (own.params as string[])[0]!;
    assert.ok(conn!.ownJobs.has(ownJobId));
    p.pushJob({ clean: true });
    await r.c.nextCall('mining.notify', r.c.messages.indexOf(own) + 1);
    const xn2 = '00'.repeat(conn!.extranonce2Size);
    assert.equal(errorCode(await r.submit([r.jobId, xn2, r.ntime, '00000004'])), 21);
    assert.equal(errorCode(await r.submit([ownJobId, xn2, r.ntime, '00000004'])), 21);
  });

  it('20 for a wrong extranonce2 size, version bits without negotiation, ntime out of range, malformed params', async () => {
    const p = await pool();
    const r = await ready(p);
    const codes = [
      await r.submit([r.jobId, '00', r.ntime, '00000005']),
      await r.submit([r.jobId, r.xn2(6), r.ntime, '00000006', '00002000']),
      await r.submit([r.jobId, r.xn2(7), '00000001', '00000007']),
      await r.submit([r.jobId, 'zz', r.ntime]),
    ].map(errorCode);
    assert.deepEqual(codes, [20, 20, 20, 20]);
  });

  it('answers unknown methods, garbage and oversized lines with 20, and keeps the connection', async () => {
    const p = await pool({ maxLineBytes: 1024 });
    const c = await client(p);
    assert.equal(errorCode(await c.request('mining.get_transactions', [])), 20);
    c.write('this is not json\n');
    c.write(`{"id":1,"method":"x","params":["${'a'.repeat(4000)}"]}\n`);
    await waitFor(() => c.messages.filter((m) => m.id === null && errorCode(m) === 20).length === 2);
    assert.equal((await c.request('mining.subscribe', [])).kind, 'response');
  });
});

describe('simulated pool faults', () => {
  it('drop: connections close, the miner sees it', async () => {
    const p = await pool({ difficulty: SIM_DIFFICULTY.sha256d });
    const m = await miner(p);
    await waitFor(() => m.accepted >= 1);
    p.dropConnections();
    await waitFor(() => m.state === 'closed' && p.connections.size === 0);
  });

  it('stall: requests read while stalled are never answered, and no jobs go out; resume answers again', async () => {
    const p = await pool();
    const r = await ready(p);
    const conn = [...p.connections.values()][0]!;
    p.stall();
    r.c.write('{"id":501,"method":"mining.submit","params":[]}\n');
    await waitFor(() => conn.ignoredWhileStalled === 1);
    const stalledJob = p.pushJob();
    p.resume();
    assert.equal((await r.c.request('mining.extranonce.subscribe', [])).kind, 'response');
    assert.equal(
      r.c.messages.some((m) => m.id === 501),
      false,
    );
    assert.equal(
      r.c.messages.some((m) => 'method' in m && (m.params as string[])[0] === stalledJob.jobId),
      false,
    );
  });

  it('garbage: miners get a line that is not JSON-RPC, and mine on', async () => {
    const p = await pool({ difficulty: SIM_DIFFICULTY.sha256d });
    const m = await miner(p);
    await waitFor(() => m.accepted >= 1);
    p.sendGarbage();
    await waitFor(() => m.badLines.length === 1);
    const before = m.accepted;
    await waitFor(() => m.accepted > before + 1);
    assert.equal(m.rejected, 0);
  });

  it('refuse: new connections are reset, existing ones stay; then accepted again', async () => {
    const p = await pool();
    const r = await ready(p);
    p.refuseConnections();
    await assert.rejects(
      SimMiner.start({ host: '127.0.0.1', port: p.port, username: 'a.b', algorithm: 'sha256d' }),
    );
    assert.equal((await r.submit([r.jobId, r.xn2(9), r.ntime, '00000009'])).kind, 'response');
    p.refuseConnections(false);
    const m = await miner(p);
    assert.equal(m.state, 'mining');
  });

  it('slow accept: a new connection is not answered before the delay', async () => {
    const p = await pool();
    p.setAcceptDelay(150);
    const c = await client(p);
    const sentAt = performance.now();
    await c.request('mining.subscribe', []);
    assert.ok(performance.now() - sentAt >= 140);
  });
});
