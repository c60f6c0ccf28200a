// Open miner connections: the set the sweeper walks, per-address counts for the per-IP limit, and the sweep.

import type { MinerSession } from './miner-session.ts';
import { retarget } from './vardiff.ts';

/** A miner told to reconnect: how long the verdicts on its shares in flight are waited for, and it for. */
export const RECONNECT_ANSWERS_WAIT_S = 2;
const RECONNECT_LINGER_S = 5;

export class ConnectionTable {
  readonly sessions = new Set<MinerSession>();
  #perAddress = new Map<string, number>();
  /** Sessions told to reconnect: open until they go, but no longer counted toward their address's limit. */
  #leaving = new Set<MinerSession>();

  /** Whether one more connection from `address` fits under `limit` (0: no limit). */
  admits(address: string, limit: number): boolean {
    return limit <= 0 || (this.#perAddress.get(address) ?? 0) < limit;
  }

  opened(session: MinerSession): void {
    this.sessions.add(session);
    const a = session.remoteAddress;
    this.#perAddress.set(a, (this.#perAddress.get(a) ?? 0) + 1);
  }

  /**
   * The session was told client.reconnect: its miner may dial again before it lets this connection go (the
   * sweeper ends it within seconds), so a farm at its address's limit gets back in whole.
   */
  leaving(session: MinerSession): void {
    if (!this.sessions.has(session) || this.#leaving.has(session)) return;
    this.#leaving.add(session);
    this.#uncount(session.remoteAddress);
  }

  closed(session: MinerSession): void {
    if (!this.sessions.delete(session)) return;
    if (this.#leaving.delete(session)) return;
    this.#uncount(session.remoteAddress);
  }

  #uncount(a: string): void {
    const n = (this.#perAddress.get(a) ?? 1) - 1;
    if (n <= 0) this.#perAddress.delete(a);
    else this.#perAddress.set(a, n);
  }

  /**
   * The one sweeper (no timer per connection): handshake timeout (no authorize and subscribe in time), idle
   * timeout (no line from the miner and no job to it for minutes), slow-loris (a partial line pending too long),
   * and sockets that linger after client.reconnect; each miner left gets its vardiff retarget when due.
   */
  sweep(nowS: number): void {
    for (const s of this.sessions) {
      const limits = s.listener.config.limits;
      if (s.state === 'closing') {
        if (nowS - s.closingAtS >= RECONNECT_LINGER_S) s.close('reconnect-linger');
        else if (nowS - s.closingAtS >= RECONNECT_ANSWERS_WAIT_S && !s.socket.writableEnded) s.socket.end();
      } else if (
        (s.state !== 'authorized' || s.lane < 0) &&
        nowS - s.connectedAtS >= limits.handshakeTimeoutS
      ) {
        // Authorized before subscribing, the handshake is done only once it subscribes too.
        s.close('handshake-timeout');
      } else if (nowS - s.lastLineAtS >= limits.idleTimeoutS && nowS - s.lastJobAtS >= limits.idleTimeoutS) {
        // Idle: nothing either way. A miner still sent work may be silent for long (a small miner at the pool's
        // difficulty, which on a shared upstream follows the whole lane's hashrate); TCP keepalive (set on every
        // accepted socket) and the write bound find one that is gone.
        s.close('idle-timeout');
      } else if (s.partialSinceS !== 0 && nowS - s.partialSinceS >= limits.partialLineTimeoutS) {
        s.close('partial-line-timeout');
      } else if (s.state === 'authorized') {
        retarget(s, nowS);
      }
    }
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Addresses with at least one connection counted toward the per-IP limit. */
  get addresses(): number {
    return this.#perAddress.size;
  }
}
