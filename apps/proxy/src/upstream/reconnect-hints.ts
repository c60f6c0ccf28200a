// What a miner sent client.reconnect (its n2' did not fit the new pool) should get when it subscribes again:
// the smaller extranonce2_size, found by its session id or, for miners that do not resume, by its address.

interface Hint {
  extranonce2Size: number;
  untilS: number;
}

const KEEP_S = 300;
const MAX_HINTS = 100_000;

export class ReconnectHints {
  #hints = new Map<string, Hint>();

  leave(sessionId: string, address: string, extranonce2Size: number, nowS: number): void {
    if (this.#hints.size >= MAX_HINTS) this.#hints.clear();
    const hint = { extranonce2Size, untilS: nowS + KEEP_S };
    this.#hints.set(`s:${sessionId}`, hint);
    this.#hints.set(`a:${address}`, hint);
  }

  /** The hinted size for a subscribing miner (session id first), if one is still fresh. */
  take(sessionId: string | undefined, address: string, nowS: number): number | undefined {
    if (this.#hints.size === 0) return undefined;
    const hint =
      (sessionId === undefined ? undefined : this.#hints.get(`s:${sessionId}`)) ??
      this.#hints.get(`a:${address}`);
    return hint !== undefined && hint.untilS > nowS ? hint.extranonce2Size : undefined;
  }

  sweep(nowS: number): void {
    for (const [key, hint] of this.#hints) if (hint.untilS <= nowS) this.#hints.delete(key);
  }
}
