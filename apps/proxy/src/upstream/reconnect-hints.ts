// What a miner sent client.reconnect (its n2' did not fit the new pool) should get when it subscribes again:
// the smaller extranonce2_size, found by its session id or, for miners that do not resume, by its address; and,
// by its session id alone (an address may be a whole farm's), the difficulty vardiff had reached for it.

export interface ReconnectHint {
  extranonce2Size: number;
  /** vardiff's difficulty for the miner (0: none, or found by address). */
  difficulty: number;
}

interface Hint extends ReconnectHint {
  untilS: number;
}

const KEEP_S = 300;
const MAX_HINTS = 100_000;

export class ReconnectHints {
  #hints = new Map<string, Hint>();

  leave(sessionId: string, address: string, extranonce2Size: number, nowS: number, difficulty = 0): void {
    if (this.#hints.size >= MAX_HINTS) this.#hints.clear();
    const untilS = nowS + KEEP_S;
    this.#hints.set(`s:${sessionId}`, { extranonce2Size, difficulty, untilS });
    this.#hints.set(`a:${address}`, { extranonce2Size, difficulty: 0, untilS });
  }

  /** The hint for a subscribing miner (session id first), if one is still fresh. */
  take(sessionId: string | undefined, address: string, nowS: number): ReconnectHint | undefined {
    if (this.#hints.size === 0) return undefined;
    const hint =
      (sessionId === undefined ? undefined : this.#hints.get(`s:${sessionId}`)) ??
      this.#hints.get(`a:${address}`);
    return hint !== undefined && hint.untilS > nowS ? hint : undefined;
  }

  sweep(nowS: number): void {
    for (const [key, hint] of this.#hints) if (hint.untilS <= nowS) this.#hints.delete(key);
  }
}
