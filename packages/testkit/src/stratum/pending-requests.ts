// Requests awaiting their answer, by id, each with a deadline; all fail at once when the connection goes.

import type { RpcMessage } from '@smart-mining/stratum';

interface Waiter {
  resolve: (msg: RpcMessage) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class PendingRequests {
  readonly #timeoutMs: number;
  #waiters = new Map<number | string, Waiter>();

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** Resolves with the answer to `id`; rejects after the timeout or on failAll. */
  wait(id: number | string): Promise<RpcMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(id);
        reject(new Error(`no answer to request ${id} within ${this.#timeoutMs} ms`));
      }, this.#timeoutMs);
      this.#waiters.set(id, { resolve, reject, timer });
    });
  }

  /** Hands an answer to its waiter; false when no request has that id. */
  settle(msg: RpcMessage): boolean {
    const waiter = msg.id === null ? undefined : this.#waiters.get(msg.id);
    if (waiter === undefined || msg.id === null) return false;
    this.#waiters.delete(msg.id);
    clearTimeout(waiter.timer);
    waiter.resolve(msg);
    return true;
  }

  failAll(error: Error): void {
    const waiters = [...this.#waiters.values()];
    this.#waiters.clear();
    for (const w of waiters) {
      clearTimeout(w.timer);
      w.reject(error);
    }
  }
}
