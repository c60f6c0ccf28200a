// What the proxy asks a pool for in its handshake, and what it leaves out from the next connection on once the
// pool has shown it cannot take it. Pools differ: some refuse or close on mining.configure (BIP 310: some servers
// close on an unknown method) or on the NiceHash mining.extranonce.subscribe, some choke on a subscribe's params
// (a session id they no longer know after a restart), and cpuminer's answer to all of it is to ask for less.
//
// A refusal is the pool's word and holds for the upstream's life. A close or a timeout is only a suspicion (a load
// balancer in front of a restarting pool closes every handshake alike): what it left out is asked for again after
// RETRY_AFTER_MS, so a hiccup does not cost the miners version rolling and session resume for good, and a pool
// that really chokes costs one failed handshake per period.

/** How long a suspicion (a close or a timeout, not a refusal) keeps an ask out of the handshake. */
export const RETRY_AFTER_MS = 10 * 60_000;

export class HandshakeAsks {
  #refusedConfigure = false;
  #refusedExtranonceSubscribe = false;
  // Suspected: since when (0: not suspected).
  #suspectConfigureMs = 0;
  #suspectExtranonceSubscribeMs = 0;
  #bareSubscribeMs = 0;
  // This connection's asks still waiting for an answer.
  #configurePending = false;
  #extranonceSubscribePending = false;
  #nowMs = 0;

  /** A new connection: whether it sends mining.configure (when wanted) and a subscribe without params. */
  begin(wantConfigure: boolean, nowMs: number): { configure: boolean; bareSubscribe: boolean } {
    this.#nowMs = nowMs;
    if (nowMs - this.#suspectConfigureMs >= RETRY_AFTER_MS) this.#suspectConfigureMs = 0;
    if (nowMs - this.#suspectExtranonceSubscribeMs >= RETRY_AFTER_MS) this.#suspectExtranonceSubscribeMs = 0;
    if (nowMs - this.#bareSubscribeMs >= RETRY_AFTER_MS) this.#bareSubscribeMs = 0;
    this.#configurePending = wantConfigure && !this.#refusedConfigure && this.#suspectConfigureMs === 0;
    this.#extranonceSubscribePending = false;
    return { configure: this.#configurePending, bareSubscribe: this.#bareSubscribeMs !== 0 };
  }

  /** A refusal means the pool does not know it: later connections go without (some close right after refusing). */
  configureAnswered(refused: boolean): void {
    this.#configurePending = false;
    if (refused) this.#refusedConfigure = true;
  }

  /** Subscribed: whether to send mining.extranonce.subscribe now. */
  askExtranonceSubscribe(): boolean {
    this.#extranonceSubscribePending =
      !this.#refusedExtranonceSubscribe && this.#suspectExtranonceSubscribeMs === 0;
    return this.#extranonceSubscribePending;
  }

  extranonceSubscribeAnswered(refused: boolean): void {
    this.#extranonceSubscribePending = false;
    if (refused) this.#refusedExtranonceSubscribe = true;
  }

  /** The pool closed the connection: what it had not answered is suspect, and left out for a while. */
  closed(beforeSubscribeAnswer: boolean): void {
    if (this.#extranonceSubscribePending) this.#suspectExtranonceSubscribeMs = this.#since();
    this.#extranonceSubscribePending = false;
    if (beforeSubscribeAnswer) this.handshakeFailed();
  }

  /**
   * The pool closed or let the handshake time out before it answered subscribe: first configure goes, if it went
   * unanswered; after that the subscribe goes bare, as cpuminer retries a failed subscribe (stratum.md §2.1).
   */
  handshakeFailed(): void {
    if (this.#configurePending) this.#suspectConfigureMs = this.#since();
    else this.#bareSubscribeMs = this.#since();
    this.#configurePending = false;
  }

  /** The connection's start time as a suspicion's mark (never 0, which means none). */
  #since(): number {
    return Math.max(this.#nowMs, 1);
  }
}
