// A miner driven by hand over a RawStratumClient: subscribe + authorize, then read its jobs and difficulties.

import {
  decodeV1Call,
  type NotifyParams,
  parseSubscribeResult,
  type RpcMessage,
} from '@smart-mining/stratum';
import { RawStratumClient, waitFor } from '@smart-mining/testkit';

export interface RawMiner {
  client: RawStratumClient;
  extranonce1: string;
  extranonce2Size: number;
  /** Every notify received, with the difficulty in force for it. */
  jobs(): { params: NotifyParams; difficulty: number }[];
  nextJob(after: number): Promise<{ params: NotifyParams; difficulty: number }>;
  submit(jobId: string, share: { extranonce2: string; ntime: string; nonce: string }): Promise<RpcMessage>;
}

export async function rawMiner(
  port: number,
  username = 'acct.raw',
  password = 'x',
  /** Sends mining.extranonce.subscribe before authorize (as cpuminer-opt does). */
  extranonceSubscribe = false,
): Promise<RawMiner> {
  const client = await RawStratumClient.connect(port);
  const sub = await client.request('mining.subscribe', ['raw/1']);
  if (sub.kind !== 'response') throw new Error(`subscribe: ${JSON.stringify(sub)}`);
  const { extranonce1, extranonce2Size } = parseSubscribeResult(sub.result);
  if (extranonceSubscribe) await client.request('mining.extranonce.subscribe', []);
  const auth = await client.request('mining.authorize', [username, password]);
  if (auth.kind !== 'response' || auth.result !== true) throw new Error(`authorize: ${JSON.stringify(auth)}`);
  const jobs = () => {
    const out: { params: NotifyParams; difficulty: number }[] = [];
    let difficulty = 1;
    for (const m of client.messages) {
      if (m.kind !== 'notification') continue;
      const call = decodeV1Call(m, 'pool');
      if (call.method === 'mining.set_difficulty') difficulty = call.params.difficulty;
      if (call.method === 'mining.notify') out.push({ params: call.params, difficulty });
    }
    return out;
  };
  return {
    client,
    extranonce1,
    extranonce2Size,
    jobs,
    nextJob: (after) => waitFor(() => jobs()[after], { what: `job #${after + 1}` }),
    submit: (jobId, share) =>
      client.request('mining.submit', [username, jobId, share.extranonce2, share.ntime, share.nonce]),
  };
}
