// The upstreams of a proxy, keyed by (listener, pool, account, lane) (xmrig-proxy's NonceSplitter policy): a miner
// is assigned the upstream of its lane on its route's pool, created on first use and closed after the grace
// period once nobody uses it.

import type { ListenerRuntime, ProxyContext } from '../context.ts';
import type { MinerSession } from '../downstream/miner-session.ts';
import type { Account, Target } from '../ports.ts';
import { Upstream } from './upstream.ts';

export class UpstreamRegistry {
  readonly #upstreams = new Map<string, Upstream>();

  /**
   * The upstream a miner of `s`'s lane mines `target` on. Shared mode logs in as WALLET.<lane worker name>;
   * per-miner mode (a lane of one) as WALLET.<the miner's worker>, so the pool sees each worker.
   */
  acquire(s: MinerSession, target: Target): Upstream {
    const worker =
      s.listener.config.upstreamMode === 'per-miner' && s.login !== null && s.login.worker !== ''
        ? s.login.worker
        : s.listener.config.laneWorkerName;
    return this.acquireLane(s.ctx, s.listener, s.account!, s.lane, target, worker);
  }

  /** The upstream of one lane on `target`, logging in as WALLET.<worker> when it has to be opened. */
  acquireLane(
    ctx: ProxyContext,
    listener: ListenerRuntime,
    account: Account,
    lane: number,
    target: Target,
    worker = listener.config.laneWorkerName,
  ): Upstream {
    const key = `${listener.config.name}|${target.poolKey}|${account.name}|${lane}`;
    const known = this.#upstreams.get(key);
    if (known !== undefined && !known.closed) return known;
    const wallet = account.wallets[target.coin]!;
    const upstream = new Upstream(ctx, listener, key, target, account, lane, `${wallet}.${worker}`);
    this.#upstreams.set(key, upstream);
    return upstream;
  }

  /** A closing miner leaves its upstream and any upstream it was waiting for. */
  forget(s: MinerSession): void {
    s.joining?.leave(s);
    s.upstream?.detach(s);
  }

  tick(nowMs: number): void {
    for (const [key, upstream] of this.#upstreams) {
      upstream.tick(nowMs);
      if (upstream.closed) this.#upstreams.delete(key);
    }
  }

  all(): IterableIterator<Upstream> {
    return this.#upstreams.values();
  }

  get size(): number {
    return this.#upstreams.size;
  }

  closeAll(): void {
    for (const upstream of this.#upstreams.values()) upstream.close();
    this.#upstreams.clear();
  }
}

/** The listener a target can be dialed from: same algorithm, and at least one endpoint of its dialect. */
export function dialable(listener: ListenerRuntime, target: Target): boolean {
  return (
    target.algorithm === listener.config.algorithm &&
    target.endpoints.some((e) => e.dialect === listener.config.dialect)
  );
}
