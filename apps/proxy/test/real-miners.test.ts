// Real miner programs as transcripts against a live proxy on real sockets and simulated pools: each writes what
// that program writes (its key order, ids, members, line ends, batching) and reads what it reads. For each:
// login, first job, shares accepted by the pool that issued the job, a switch to another pool without reconnect
// (set_difficulty + clean notify, set_version_mask or set_extranonce where it applies), and shares after it.

import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { SIM_DIFFICULTY, type SimPoolOptions, simJobOrigin, waitFor } from '@smart-mining/testkit';
import { type Harness, startHarness } from './harness.ts';
import { outcome } from './script-proxy.ts';
import { findShare } from './share-finder.ts';
import { type WireJob, WireMiner } from './wire-miner.ts';

const D = SIM_DIFFICULTY.sha256d;

let h: Harness | undefined;
const miners: WireMiner[] = [];
afterEach(async () => {
  for (const m of miners.splice(0)) m.close();
  await h?.stop();
  h = undefined;
});

/** A proxy on pools A (id aaaa, ranked first) and B (id bbbb, twice A's difficulty unless told). */
async function twoPools(
  a: Partial<SimPoolOptions> = {},
  b: Partial<SimPoolOptions> = {},
  algorithm: 'sha256d' | 'scrypt' = 'sha256d',
): Promise<Harness> {
  const base = SIM_DIFFICULTY[algorithm];
  h = await startHarness({
    algorithm,
    pools: [
      { poolKey: 'a:X', options: { id: 'aaaa', difficulty: base, ...a } },
      { poolKey: 'b:X', options: { id: 'bbbb', difficulty: base * 2, ...b } },
    ],
  });
  return h;
}

async function connect(port: number): Promise<WireMiner> {
  const m = await WireMiner.connect(port);
  miners.push(m);
  return m;
}

const poolOf = (job: WireJob) => simJobOrigin(job.params.coinb2)?.poolId;

/** Moves the route to pool B and waits for the miner's first job from B. */
async function switchToB(m: WireMiner, subscribeId: number | string, configureId?: number | string) {
  h!.decisions.rank([h!.targets.get('b:X')!, h!.targets.get('a:X')!], 'b pays more');
  return waitFor(() => m.jobs(subscribeId, configureId).find((j) => poolOf(j) === 'bbbb'), {
    what: 'the first job from pool B',
  });
}

/** The n-th extranonce2 of the job's size, as the miner counts it. */
const xn2 = (job: WireJob, n: number) => n.toString(16).padStart(2 * job.extranonce2Size, '0');

describe('NerdMiner (NerdMiner_v2 stratum.cpp)', () => {
  // Its submit writes the nonce with Arduino's String(nonce, HEX): lowercase, no leading zeros. It counts
  // nonces up from 0, so at a hobby miner's rate nearly every share it finds has a short nonce.
  const submitLine = (id: number, job: WireJob, x2: string, nonce: string) =>
    `{"id": ${id}, "method": "mining.submit", "params": ["acct.nerd","${job.params.jobId}","${x2}","${job.params.ntime}","${nonce}"]}\n`;

  it('subscribe, authorize, suggest_difficulty; shares with unpadded nonces accepted on A, then on B after the switch', async () => {
    const { port } = await twoPools();
    const m = await connect(port);
    m.write('{"id": 1, "method": "mining.subscribe", "params": ["NerdMinerV2"]}\n');
    // It reads exactly one line for the subscribe answer: nothing may come before it.
    await m.answer(1);
    const first = JSON.parse(m.lines[0]!) as { id: number; result: unknown[]; error: unknown };
    assert.equal(first.id, 1);
    assert.equal(first.error, null);
    assert.equal(
      typeof (first.result as string[][][])[0]![0]![1],
      'string',
      'result[0][0][1], its sub_details',
    );
    m.write('{"params": ["acct.nerd", "x"], "id": 2, "method": "mining.authorize"}\n');
    m.write('{"id": 3, "method": "mining.suggest_difficulty", "params": [0.00015]}\n');
    assert.equal(outcome(await m.answer(2)), true);
    assert.equal(outcome(await m.answer(3)), true);

    const job = await m.nthJob(1, 1);
    assert.equal(poolOf(job), 'aaaa');
    let id = 4;
    for (const n of [1, 2, 3]) {
      const share = findShare('sha256d', job.params, job.extranonce1, xn2(job, n), job.difficulty);
      const unpadded = Number.parseInt(share.nonce, 16).toString(16);
      assert.ok(unpadded.length < 8, 'the nonce found has leading zeros');
      m.write(submitLine(id, job, share.extranonce2, unpadded));
      assert.equal(outcome(await m.answer(id)), true, `share ${n} with nonce ${unpadded}`);
      const record = h!.pools.get('a:X')!.shares.at(-1);
      assert.equal(record?.accepted, true);
      assert.equal(record?.nonce, share.nonce, 'the pool got the nonce as 8 hex digits');
      id++;
    }

    const onB = await switchToB(m, 1);
    assert.equal(onB.params.cleanJobs, true);
    assert.equal(onB.difficulty, D * 2, 'set_difficulty before the clean notify');
    const share = findShare('sha256d', onB.params, onB.extranonce1, xn2(onB, 9), onB.difficulty);
    m.write(submitLine(id, onB, share.extranonce2, Number.parseInt(share.nonce, 16).toString(16)));
    assert.equal(outcome(await m.answer(id)), true);
    assert.equal(h!.pools.get('b:X')!.shares.at(-1)?.accepted, true);
    assert.equal(m.closed, false);
  });
});
