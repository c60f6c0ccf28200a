// The constant-E1′ fold (stratum.md §2.4) end to end: a miner behind a minimal relay mines on one simulated pool,
// then on another, without reconnecting, and each pool accepts every share with its own extranonce1.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  decodeV1Call,
  encodeAccepted,
  encodeNotify,
  encodeRejected,
  encodeSetDifficulty,
  encodeSubscribeResult,
  type FoldLayout,
  foldCoinb1,
  foldLayout,
  foldUpstreamExtranonce2,
  LineFramer,
  parseMessage,
  parseSubscribeResult,
  type RpcCall,
  type RpcMessage,
} from '@smart-mining/stratum';
import { waitFor } from '../wait-for.ts';
import { memoryDuplexPair } from './memory-duplex.ts';
import { RawStratumClient } from './raw-client.ts';
import { SimMiner } from './sim-miner.ts';
import { SIM_DIFFICULTY, SimPool } from './sim-pool.ts';

const X = '00a5'; // the miner's fixed extranonce1 (k = 2), n2′ = 4
const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

interface Upstream {
  client: RawStratumClient;
  layout: FoldLayout & { fits: true };
  tag: string;
}

/**
 * Just enough of a proxy to carry one miner: the fold on the way down, q ‖ X ‖ xn2 on the way up. Job ids carry
 * the upstream's tag, so a share for the previous pool's job still goes to that pool (stratum.md §8.3).
 */
class FoldRelay {
  #toMiner: (line: string) => void = () => {};
  #upstream: Upstream | undefined;
  #upstreams = new Map<string, Upstream>();
  #pendingSubmits = new Map<number | string, number | string>();
  /** The last difficulty and job, for a miner that arrives after them (and for nothing else). */
  #latest: string[] = [];

  attachMiner(write: (line: string) => void): { push(chunk: Buffer): void } {
    this.#toMiner = write;
    return new LineFramer(16 * 1024, {
      onLine: (l) => this.#fromMiner(parseMessage(l)),
      onLineError: () => {},
    });
  }

  /** Moves to a pool: subscribe and authorize there, then its jobs flow to the miner (set_difficulty + clean notify). */
  async switchTo(pool: SimPool, tag: string): Promise<void> {
    const client = await RawStratumClient.connect(pool.port);
    cleanups.push(() => client.close());
    const sub = await client.request('mining.subscribe', ['relay/1']);
    const up = parseSubscribeResult(sub.kind === 'response' ? sub.result : null);
    const layout = foldLayout(up, { minerExtranonce1Bytes: 2, minerExtranonce2Size: 4 });
    assert.ok(layout.fits);
    const upstream = { client, layout, tag };
    this.#upstream = upstream;
    this.#upstreams.set(tag, upstream);
    client.on('message', (m: RpcMessage) => this.#fromPool(upstream, m));
    await client.request('mining.authorize', ['acct.relay', 'x']);
  }

  #fromPool(up: Upstream, msg: RpcMessage): void {
    if (msg.kind === 'response' || msg.kind === 'error') {
      const minerId = this.#pendingSubmits.get(msg.id ?? -1);
      if (minerId === undefined) return;
      this.#toMiner(msg.kind === 'response' ? encodeAccepted(minerId) : encodeRejected(minerId, msg.error));
      return;
    }
    if (up !== this.#upstream) return; // only the current pool's work reaches the miner
    const call = decodeV1Call(msg, 'pool');
    if (call.method === 'mining.set_difficulty') {
      this.#latest = [encodeSetDifficulty(call.params.difficulty)];
      this.#toMiner(this.#latest[0]!);
    }
    if (call.method === 'mining.notify') {
      const p = call.params;
      const line = encodeNotify({ ...p, jobId: up.tag + p.jobId, coinb1: foldCoinb1(up.layout, p.coinb1) });
      this.#latest = [this.#latest[0] ?? '', line];
      this.#toMiner(line);
    }
  }

  #fromMiner(msg: RpcMessage): void {
    if (msg.kind !== 'request') return;
    const call = decodeV1Call(msg as RpcCall, 'miner');
    if (call.method === 'mining.subscribe') this.#toMiner(encodeSubscribeResult(call.id, 's1', X, 4));
    else if (call.method === 'mining.authorize') {
      this.#toMiner(encodeAccepted(call.id));
      for (const line of this.#latest) this.#toMiner(line);
    } else if (call.method === 'mining.submit') {
      const p = call.params;
      const up = this.#upstreams.get(p.jobId[0]!)!;
      const id = Number(String(call.id).replace(/\D/g, '')) + 1_000_000;
      this.#pendingSubmits.set(id, call.id!);
      up.client.write(
        `${JSON.stringify({
          id,
          method: 'mining.submit',
          params: [
            'acct.relay',
            p.jobId.slice(up.tag.length),
            foldUpstreamExtranonce2(up.layout, X, p.extranonce2),
            p.ntime,
            p.nonce,
          ],
        })}\n`,
      );
    }
  }
}

describe('constant-E1′ fold through a relay', () => {
  it('a cpuminer (no set_extranonce) mines on pool A, then on pool B without reconnecting; each pool accepts its shares', async () => {
    const [a, b] = await Promise.all(
      ['0a0a', '0b0b'].map((id) =>
        SimPool.start({ id, algorithm: 'sha256d', difficulty: SIM_DIFFICULTY.sha256d, extranonce2Size: 8 }),
      ),
    );
    cleanups.push(
      () => a!.stop(),
      () => b!.stop(),
    );
    const relay = new FoldRelay();
    await relay.switchTo(a!, 'a');
    const miner = await SimMiner.start({
      host: 'relay',
      port: 0,
      username: 'rig1',
      algorithm: 'sha256d',
      profile: 'cpuminer',
      dial: () => {
        const [minerEnd, relayEnd] = memoryDuplexPair();
        const framer = relay.attachMiner((line) => relayEnd.write(line));
        relayEnd.on('data', (chunk: Buffer) => framer.push(chunk));
        return minerEnd;
      },
    });
    cleanups.push(() => miner.stop());
    await waitFor(() => a!.stats().accepted >= 3);
    await relay.switchTo(b!, 'b');
    await waitFor(() => b!.stats().accepted >= 3);
    miner.stop();

    assert.equal(miner.extranonce1, X);
    assert.equal(miner.reconnects.length, 0);
    for (const pool of [a!, b!]) {
      for (const r of pool.shares) {
        assert.equal(
          r.errorCode === undefined || r.errorCode === 21,
          true,
          `pool ${pool.id}: ${r.errorCode}`,
        );
        assert.equal(r.extranonce2.slice(0, 8), `0000${X}`); // q ‖ X ‖ xn2
      }
    }
    const answered = miner.shares.filter((s) => s.accepted !== undefined);
    assert.ok(answered.filter((s) => s.accepted).every((s) => [a!.id, b!.id].includes(s.poolJob!.poolId)));
    assert.ok(answered.some((s) => s.poolJob?.poolId === a!.id && s.accepted));
    assert.ok(answered.some((s) => s.poolJob?.poolId === b!.id && s.accepted));
  });
});
