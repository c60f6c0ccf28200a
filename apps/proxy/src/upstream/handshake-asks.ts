// What the proxy asks a pool for in its handshake, and what it leaves out from the next connection on once the
// pool has shown it cannot take it. Pools differ: some refuse or close on mining.configure (BIP 310: some servers
// close on an unknown method) or on the NiceHash mining.extranonce.subscribe, some choke on a subscribe's params
// (a session id they no longer know after a restart), and cpuminer's answer to all of it is to ask for less.

export class HandshakeAsks {
  #skipConfigure = false;
  #skipExtranonceSubscribe = false;
  #bareSubscribe = false;
  // This connection's asks still waiting for an answer.
  #configurePending = false;
  #extranonceSubscribePending = false;

  /** A new connection: whether it sends mining.configure (when wanted) and a subscribe without params. */
  begin(wantConfigure: boolean): { configure: boolean; bareSubscribe: boolean } {
    this.#configurePending = wantConfigure && !this.#skipConfigure;
    this.#extranonceSubscribePending = false;
    return { configure: this.#configurePending, bareSubscribe: this.#bareSubscribe };
  }

  /** A refusal means the pool does not know it: later connections go without (some close right after refusing). */
  configureAnswered(refused: boolean): void {
    this.#configurePending = false;
    if (refused) this.#skipConfigure = true;
  }

  /** Subscribed: whether to send mining.extranonce.subscribe now. */
  askExtranonceSubscribe(): boolean {
    this.#extranonceSubscribePending = !this.#skipExtranonceSubscribe;
    return this.#extranonceSubscribePending;
  }

  extranonceSubscribeAnswered(refused: boolean): void {
    this.#extranonceSubscribePending = false;
    if (refused) this.#skipExtranonceSubscribe = true;
  }

  /** The pool closed the connection: what it had not answered is suspect, and left out next time. */
  closed(beforeSubscribeAnswer: boolean): void {
    if (this.#extranonceSubscribePending) this.#skipExtranonceSubscribe = true;
    if (beforeSubscribeAnswer) this.handshakeFailed();
  }

  /**
   * The pool closed or let the handshake time out before it answered subscribe: first configure goes, if it went
   * unanswered; after that the subscribe goes bare, as cpuminer retries a failed subscribe (stratum.md §2.1).
   */
  handshakeFailed(): void {
    if (this.#configurePending) this.#skipConfigure = true;
    else this.#bareSubscribe = true;
    this.#configurePending = false;
  }
}
