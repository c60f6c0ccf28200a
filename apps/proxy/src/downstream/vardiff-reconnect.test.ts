import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { SIM_DIFFICULTY, waitFor } from '@smart-mining/testkit';
import { type MemoryProxy, memoryProxy } from '../../test/memory-proxy.ts';
import { VARDIFF } from './vardiff.ts';

let m: MemoryProxy | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

const POOL = SIM_DIFFICULTY.sha256d * 64;
describe('vardiff across client.reconnect', () => {
  it('a miner sent away for a pool its extranonce2 does not fit comes back with its session id at its difficulty', async () => {
    m = await memoryProxy({
      pools: [
        { poolKey: 'roomy:BTC', options: { difficulty: POOL, extranonce2Size: 8 } },
        { poolKey: 'tight:BTC', options: { difficulty: POOL, extranonce2Size: 3 } },
      ],
      listener: { vardiff: { minDifficulty: POOL / 2 ** 10 } },
    });
    const first = m.connect();
    const sub = (await first.request('mining.subscribe', ['cpuminer/2.5'])) as {
      result: [[string, string][]];
    };
    const sessionId = sub.result[0][0]![1];
    await first.request('mining.authorize', ['acct.w1', 'x']);
    await waitFor(() => first.jobs().length > 0, { what: 'first job' });
    for (let i = 0; i < VARDIFF.windowS; i++) m.advance(1000);
    const jobs = first.jobs().length;
    m.pools.get('roomy:BTC')!.pushJob();
    await waitFor(() => first.jobs().length > jobs, { what: 'the next job' });
    const low = POOL / VARDIFF.maxStep;
    assert.equal(first.difficulty(), low);

    m.decisions.rank([m.targets.get('tight:BTC')!, m.targets.get('roomy:BTC')!], 'tight pays more');
    await waitFor(() => first.calls('client.reconnect').length > 0, { what: 'client.reconnect' });
    const again = m.connect();
    await again.request('mining.subscribe', ['cpuminer/2.5', sessionId]);
    await again.request('mining.authorize', ['acct.w1', 'x']);
    await waitFor(() => again.jobs().length > 0, { what: 'a job on the tight pool' });
    assert.equal(again.difficulty(), low);
  });
});
