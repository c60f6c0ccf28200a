// One switch of a route in progress: which miners still wait for their first job on the new pool, which method
// moved each one, and the report it becomes.

import { randomUUID } from 'node:crypto';
import type { MinerSession } from '../downstream/miner-session.ts';
import type { SwitchMethod, SwitchReport, SwitchTrigger, Target } from '../ports.ts';

const STRENGTH: Record<SwitchMethod, number> = { notify: 0, set_extranonce: 1, reconnect: 2 };

export class SwitchRecord {
  readonly idempotencyKey = randomUUID();
  readonly at: Date;
  readonly startedMs: number;
  readonly from: Target | null;
  readonly to: Target;
  readonly trigger: SwitchTrigger;
  readonly reason: string;
  readonly inputs: unknown;
  readonly decisionRoute: string | null;
  readonly methods: Record<SwitchMethod, number> = { notify: 0, set_extranonce: 0, reconnect: 0 };
  readonly moved: string[] = [];
  /** Milliseconds from the start to the last miner's first job, once complete. */
  durationMs: number | null = null;
  readonly #pending = new Set<MinerSession>();

  constructor(
    from: Target | null,
    to: Target,
    trigger: SwitchTrigger,
    reason: string,
    decision: { inputs?: unknown; route?: string } | null,
    nowMs: number,
  ) {
    this.from = from;
    this.to = to;
    this.trigger = trigger;
    this.reason = reason;
    this.inputs = decision?.inputs ?? null;
    this.decisionRoute = decision?.route ?? null;
    this.startedMs = nowMs;
    this.at = new Date(nowMs);
  }

  expect(s: MinerSession): void {
    this.#pending.add(s);
  }

  /** A miner got its first job on the new pool (or needed no move: method null). True when none is left. */
  settled(s: MinerSession, method: SwitchMethod | null, nowMs: number): boolean {
    if (!this.#pending.delete(s)) return false;
    if (method !== null) {
      this.methods[method]++;
      if (s.login !== null) this.moved.push(s.login.username);
    }
    return this.#doneAt(nowMs);
  }

  /** A miner disconnected before it moved. */
  left(s: MinerSession, nowMs: number): boolean {
    return this.#pending.delete(s) && this.#doneAt(nowMs);
  }

  get waiting(): number {
    return this.#pending.size;
  }

  get movedCount(): number {
    return this.methods.notify + this.methods.set_extranonce + this.methods.reconnect;
  }

  /** The strongest method any miner needed. */
  get method(): SwitchMethod {
    let m: SwitchMethod = 'notify';
    for (const k of Object.keys(this.methods) as SwitchMethod[]) {
      if (this.methods[k] > 0 && STRENGTH[k] > STRENGTH[m]) m = k;
    }
    return m;
  }

  report(route: SwitchReport['route']): SwitchReport {
    return {
      idempotencyKey: this.idempotencyKey,
      at: this.at,
      route,
      from: this.from?.poolKey ?? null,
      to: this.to.poolKey,
      trigger: this.trigger,
      reason: this.reason,
      inputs: this.inputs,
      decisionRoute: this.decisionRoute,
      method: this.method,
      methods: { ...this.methods },
      miners: this.moved,
      durationMs: this.durationMs,
    };
  }

  #doneAt(nowMs: number): boolean {
    if (this.#pending.size > 0) return false;
    this.durationMs = nowMs - this.startedMs;
    return true;
  }
}
