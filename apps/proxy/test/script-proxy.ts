// A proxy mining on one script pool (script-pool.ts) and raw miners driven by hand: the setup of the tests of
// pools the proxy has never seen. Each test file calls useScriptProxy() once; it cleans up after every test.

import { afterEach } from 'node:test';
import type { NotifyParams, RpcMessage } from '@smart-mining/stratum';
import { SIM_DIFFICULTY, waitFor } from '@smart-mining/testkit';
import { type Harness, type HarnessOptions, startHarness } from './harness.ts';
import { type RawMiner, rawMiner } from './raw-miner.ts';
import {
  difficultyLine,
  notifyLine,
  type ScriptConnection,
  ScriptPool,
  type ScriptRequest,
  scriptJob,
} from './script-pool.ts';
import { findShare } from './share-finder.ts';

export const DIFF = SIM_DIFFICULTY.sha256d;

export interface PoolShape {
  extranonce1?: string;
  extranonce2Size?: number;
  /** The subscribe result as sent (default: the usual three items). */
  subscribeResult?: (extranonce1: string, extranonce2Size: number) => unknown;
  /** What goes out around the authorize answer (default: difficulty, job, then the answer). */
  onAuthorize?: (req: ScriptRequest, conn: ScriptConnection, job: NotifyParams) => void;
  /** The verdict for one submit (default: `true`). */
  onSubmit?: (req: ScriptRequest, conn: ScriptConnection) => void;
  onOther?: (req: ScriptRequest, conn: ScriptConnection) => void;
  /** Sees every request first; true: handled (the usual answer is not sent). */
  onRequest?: (req: ScriptRequest, conn: ScriptConnection) => boolean;
}

/** A pool answering subscribe, authorize and submit in the usual way unless the shape says otherwise. */
export function shapedPool(o: PoolShape = {}): Promise<ScriptPool> {
  const e1 = o.extranonce1 ?? 'f000000a';
  const n2 = o.extranonce2Size ?? 8;
  let jobs = 0;
  return ScriptPool.start((req, conn) => {
    if (o.onRequest?.(req, conn)) return;
    switch (req.method) {
      case 'mining.subscribe':
        conn.say({
          id: req.id,
          result: o.subscribeResult ? o.subscribeResult(e1, n2) : [[['mining.notify', 'ae68']], e1, n2],
          error: null,
        });
        return;
      case 'mining.authorize': {
        const job = scriptJob(`j${++jobs}`);
        if (o.onAuthorize) {
          o.onAuthorize(req, conn, job);
          return;
        }
        conn.say(difficultyLine(DIFF));
        conn.say(notifyLine(job));
        conn.say({ id: req.id, result: true, error: null });
        return;
      }
      case 'mining.submit':
        if (o.onSubmit) o.onSubmit(req, conn);
        else conn.say({ id: req.id, result: true, error: null });
        return;
      default:
        o.onOther?.(req, conn);
    }
  });
}

export interface ScriptProxy {
  readonly h: Harness;
  /** A proxy whose only target is `pool` (ranked first), or `pool` then `next`. */
  start(pool: ScriptPool, o?: { timings?: HarnessOptions['timings']; next?: ScriptPool }): Promise<Harness>;
  miner(username?: string, extranonceSubscribe?: boolean): Promise<RawMiner>;
}

export function useScriptProxy(): ScriptProxy {
  let h: Harness | undefined;
  const pools: ScriptPool[] = [];
  const miners: RawMiner[] = [];
  afterEach(async () => {
    for (const m of miners.splice(0)) m.client.close();
    await h?.stop();
    h = undefined;
    for (const p of pools.splice(0)) await p.stop();
  });
  return {
    get h() {
      if (h === undefined) throw new Error('start() first');
      return h;
    },
    async start(pool, o = {}) {
      pools.push(pool);
      const poolPorts = [{ poolKey: 'x:BTC', port: pool.port }];
      if (o.next !== undefined) {
        pools.push(o.next);
        poolPorts.push({ poolKey: 'y:BTC', port: o.next.port });
      }
      h = await startHarness({ algorithm: 'sha256d', pools: [], poolPorts, timings: o.timings });
      return h;
    },
    async miner(username = 'acct.rig1', extranonceSubscribe = false) {
      if (h === undefined) throw new Error('start() first');
      const m = await rawMiner(h.port, username, 'x', extranonceSubscribe);
      miners.push(m);
      return m;
    },
  };
}

/** Mines one real share of the newest job through the proxy; the miner's answer and the submit the pool saw. */
export async function mineOne(
  m: RawMiner,
  pool: ScriptPool,
  xn2 = '0000aa'.slice(0, 2 * m.extranonce2Size).padStart(2 * m.extranonce2Size, '0'),
) {
  const job = await waitFor(() => m.jobs().at(-1), { what: 'a job', timeoutMs: 10_000 });
  const share = findShare('sha256d', job.params, m.extranonce1, xn2, job.difficulty);
  const before = pool.requests('mining.submit').length;
  const answer = await m.submit(job.params.jobId, share);
  return { answer, share, job, upstream: pool.requests('mining.submit')[before] };
}

/** A miner's answer as `true`/`false` or the error code. */
export const outcome = (msg: RpcMessage) =>
  msg.kind === 'error' ? msg.error.code : msg.kind === 'response' ? msg.result : undefined;
