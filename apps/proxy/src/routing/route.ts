// A route: the miners of one (listener/algorithm, profile, hardware, account). It holds a decision, asks again on
// events and on a backstop timer, stays put while the source fails (fail-static), and moves its miners when the
// target changes: each miner attaches to the new pool's upstream of its lane and gets set_difficulty + a clean
// notify there, without reconnecting.

import type { ListenerRuntime, ProxyContext } from '../context.ts';
import type { MinerSession } from '../downstream/miner-session.ts';
import type { Account, DecisionRoute, ProxyDecision, SwitchMethod, SwitchTrigger, Target } from '../ports.ts';
import type { Upstream } from '../upstream/upstream.ts';
import { dialable } from '../upstream/upstream-registry.ts';
import { SwitchRecord } from './switch-record.ts';
import { type Choice, chooseTarget, standbyTarget } from './target-choice.ts';

/** The soonest a route asks again at the end of a dwell (the API's clock may lag the proxy's a little). */
const DWELL_RECHECK_MIN_MS = 1000;

export interface LastSwitch {
  at: Date;
  from: string | null;
  to: string;
  trigger: SwitchTrigger;
  method: SwitchMethod;
  miners: number;
  durationMs: number | null;
}

export class Route {
  readonly key: string;
  readonly ctx: ProxyContext;
  readonly listener: ListenerRuntime;
  readonly profile: string;
  readonly hardware: string | null;
  readonly account: Account;
  readonly miners = new Set<MinerSession>();
  decision: ProxyDecision | null = null;
  decidedAtMs = 0;
  decisionError: string | null = null;
  target: Target | null = null;
  /**
   * The runner-up kept warm (listener `standby`, shared mode): the upstream of each of the route's lanes on it is
   * held open with a job at hand, so a switch or failover there moves every miner in one turn of the event loop.
   */
  standby: Target | null = null;
  readonly #held = new Map<number, Upstream>();
  /** The route's miners per lane: a lane none of them is on any more needs no standby connection. */
  readonly #lanes = new Map<number, number>();
  sinceMs = 0;
  trigger: SwitchTrigger | null = null;
  lastSwitch: LastSwitch | null = null;
  switches = 0;
  emptySinceMs = 0;
  #switch: SwitchRecord | null = null;
  #deciding = false;
  #again = false;
  #failures = 0;
  #nextDecideAtMs = 0;
  /** Since when the miners have been on the target a switch in progress started from (see #switchTo). */
  #fromSinceMs = 0;

  constructor(
    ctx: ProxyContext,
    listener: ListenerRuntime,
    profile: string,
    hardware: string | null,
    account: Account,
  ) {
    this.ctx = ctx;
    this.listener = listener;
    this.profile = profile;
    this.hardware = hardware;
    this.account = account;
    this.key = routeKey(listener, profile, hardware, account);
  }

  add(s: MinerSession): void {
    if (this.miners.has(s)) return;
    this.miners.add(s);
    this.#lanes.set(s.lane, (this.#lanes.get(s.lane) ?? 0) + 1);
    s.route = this;
    this.emptySinceMs = 0;
    if (this.target !== null) this.ctx.upstreams.acquire(s, this.target).join(s);
    this.#holdLane(s.lane);
    if (this.target === null || this.ctx.now() >= this.#nextDecideAtMs) void this.refresh();
  }

  /** Something changed: ask now if the route has miners, else when the next one arrives. */
  decisionChanged(): void {
    this.#nextDecideAtMs = 0;
    if (this.miners.size > 0) void this.refresh();
  }

  remove(s: MinerSession): void {
    if (!this.miners.delete(s)) return;
    this.#leaveLane(s.lane);
    if (this.#switch?.left(s, this.ctx.now())) this.#finishSwitch();
    if (this.miners.size === 0) {
      this.emptySinceMs = this.ctx.now();
      this.#syncStandby();
    }
  }

  /** An upstream gave the miner its first job (method), or it was already there (null). */
  minerSettled(s: MinerSession, method: SwitchMethod | null): void {
    if (this.#switch?.settled(s, method, this.ctx.now())) this.#finishSwitch();
  }

  /** What the decision source is asked. */
  spec(): DecisionRoute {
    const route: DecisionRoute = {
      profile: this.profile,
      hardware: this.hardware,
      algorithms: [this.listener.config.algorithm],
      account: this.account.name,
    };
    const hashrateHs = this.hashrateHs;
    if (hashrateHs > 0) route.hashrateHs = [hashrateHs];
    return route;
  }

  get hashrateHs(): number {
    let sum = 0;
    for (const s of this.miners) sum += s.hashrateHs;
    return sum;
  }

  /** Asks for a decision (once at a time; a request during one asks again right after) and applies it. */
  async refresh(): Promise<void> {
    if (this.#deciding) {
      this.#again = true;
      return;
    }
    this.#deciding = true;
    try {
      do {
        this.#again = false;
        await this.#decide();
        this.evaluate();
      } while (this.#again);
    } catch (e) {
      this.ctx.logger.error({ err: e, route: this.key }, 'route refresh failed');
    } finally {
      this.#deciding = false;
    }
  }

  /** Moves the miners when the preferred usable target differs from the current one; keeps the standby warm. */
  evaluate(): void {
    const choice = chooseTarget({
      decision: this.decision,
      decisionFailed: this.decisionError !== null,
      fallback: this.listener.fallback,
      current: this.target,
      currentTrigger: this.trigger,
      usable: this.#usable,
      isDown: this.#isDown,
    });
    if (choice !== null) {
      if (choice.target.poolKey === this.target?.poolKey) {
        this.target = choice.target; // fresher value and endpoints, same pool
      } else {
        this.#switchTo(choice);
      }
    }
    this.#syncStandby();
  }

  readonly #usable = (t: Target): boolean =>
    dialable(this.listener, t) && this.account.wallets[t.coin] !== undefined;
  readonly #isDown = (poolKey: string): boolean => this.ctx.health.isDown(poolKey, this.account.name);

  /** Holds the standby's upstream of every lane (a new runner-up: releases the old one's), none without miners. */
  #syncStandby(): void {
    const next =
      this.listener.config.standby && this.miners.size > 0
        ? standbyTarget({
            decision: this.decision,
            current: this.target,
            usable: this.#usable,
            isDown: this.#isDown,
          })
        : null;
    if (next?.poolKey === this.standby?.poolKey) {
      this.standby = next; // fresher value and endpoints, same pool
      return;
    }
    // A new runner-up (a held connection only closes once its pool is marked down, which changes the runner-up).
    for (const upstream of this.#held.values()) upstream.release(this);
    this.#held.clear();
    this.standby = next;
    if (next !== null) for (const lane of this.#lanes.keys()) this.#holdLane(lane);
  }

  /** The last of the route's miners on `lane` left: its standby connection there is let go (grace, then closed). */
  #leaveLane(lane: number): void {
    const left = (this.#lanes.get(lane) ?? 1) - 1;
    if (left > 0) {
      this.#lanes.set(lane, left);
      return;
    }
    this.#lanes.delete(lane);
    this.#held.get(lane)?.release(this);
    this.#held.delete(lane);
  }

  #holdLane(lane: number): void {
    const standby = this.standby;
    if (standby === null || this.#held.has(lane)) return;
    const upstream = this.ctx.upstreams.acquireLane(this.ctx, this.listener, this.account, lane, standby);
    upstream.hold(this);
    this.#held.set(lane, upstream);
  }

  /** Backstop decisions, failed-decision retries, pools whose down mark expired, switches that never finish. */
  tick(nowMs: number): void {
    if (!this.#deciding && nowMs >= this.#nextDecideAtMs && this.miners.size > 0) void this.refresh();
    else this.evaluate();
    const record = this.#switch;
    if (record !== null && nowMs - record.startedMs >= this.ctx.timings.switchReportAfterS * 1000) {
      this.#finishSwitch();
    }
  }

  async #decide(): Promise<void> {
    const t = this.ctx.timings;
    const current = this.target ? { poolKey: this.target.poolKey, since: new Date(this.sinceMs) } : null;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${t.decisionTimeoutMs} ms`)),
        t.decisionTimeoutMs,
      );
    });
    try {
      this.decision = await Promise.race([this.ctx.decisions.decide(this.spec(), current), timeout]);
      this.decidedAtMs = this.ctx.now();
      if (this.#failures > 0) {
        this.ctx.logger.info({ route: this.key, failures: this.#failures }, 'decision available again');
      }
      this.decisionError = null;
      this.#failures = 0;
      // Held by the profile's dwell: ask again as it ends, so a better target is not left waiting for the backstop.
      const dwellLeftMs = (this.decision.dwellLeftS ?? Number.POSITIVE_INFINITY) * 1000;
      this.#nextDecideAtMs =
        this.ctx.now() +
        Math.min(t.decisionIntervalS * 1000, Math.max(DWELL_RECHECK_MIN_MS, dwellLeftMs + 100));
    } catch (e) {
      this.decisionError = (e as Error).message;
      const backoffMs = Math.min(t.decisionIntervalS * 1000, 1000 * 2 ** Math.min(this.#failures++, 6));
      this.#nextDecideAtMs = this.ctx.now() + backoffMs;
      // Once per outage at warn (every route retries through it: a line per route and retry would bury the rest);
      // the retries at debug, and the end of it at info.
      this.ctx.logger[this.#failures === 1 ? 'warn' : 'debug'](
        { route: this.key, err: this.decisionError, failures: this.#failures },
        'decision unavailable; keeping the current target',
      );
    } finally {
      clearTimeout(timer);
    }
  }

  #switchTo(choice: Choice): void {
    const now = this.ctx.now();
    // A switch cut short before any miner got the new pool's job (unreachable, no job yet) did not happen: its
    // miners are still on its `from`, where this one starts. One that moved some is reported as it stands.
    const cut = this.#switch;
    const unmoved = cut !== null && cut.movedCount === 0;
    if (unmoved) this.#switch = null;
    this.#finishSwitch();
    const from = unmoved ? cut.from : this.target;
    const fromSinceMs = unmoved ? this.#fromSinceMs : this.sinceMs;
    this.target = choice.target;
    // Back where the miners still are: they have been there since before (the profile's dwell counts from then).
    this.sinceMs = from !== null && from.poolKey === choice.target.poolKey ? fromSinceMs : now;
    this.#fromSinceMs = fromSinceMs;
    this.trigger = choice.trigger;
    this.ctx.logger.info(
      {
        route: this.key,
        from: from?.poolKey ?? null,
        to: choice.target.poolKey,
        trigger: choice.trigger,
        reason: choice.reason,
      },
      from === null ? 'route target set' : 'route switching',
    );
    // Back to where the miners still are: nothing to report.
    const record =
      from === null || from.poolKey === choice.target.poolKey
        ? null
        : new SwitchRecord(from, choice.target, choice.trigger, choice.reason, this.decision, now);
    this.#switch = record;
    const miners = [...this.miners];
    for (const s of miners) record?.expect(s);
    for (const s of miners) if (s.route === this) this.ctx.upstreams.acquire(s, choice.target).join(s);
  }

  /** Reports the switch in progress (complete, or cut short by a new one or the report timeout). */
  #finishSwitch(): void {
    const record = this.#switch;
    if (record === null) return;
    this.#switch = null;
    // Nobody moved and nobody waits (every miner left, or was there already): nothing happened. A switch cut short
    // while miners still wait for the new pool's first job did happen (the route's target changed): it is
    // reported as it stands, else a sink waiting for it would wait for ever.
    if (record.movedCount === 0 && record.waiting === 0) return;
    this.switches++;
    const counters = this.ctx.counters.switches;
    counters[record.method] = (counters[record.method] ?? 0) + 1;
    this.lastSwitch = {
      at: record.at,
      from: record.from?.poolKey ?? null,
      to: record.to.poolKey,
      trigger: record.trigger,
      method: record.method,
      miners: record.movedCount,
      durationMs: record.durationMs,
    };
    const route = {
      algorithm: this.listener.config.algorithm,
      profile: this.profile,
      hardware: this.hardware,
      account: this.account.name,
    };
    this.ctx.logger.info({ route: this.key, ...this.lastSwitch }, 'route switched');
    // Deferred and caught: a sink that throws, even synchronously, touches neither the switch nor the miners.
    const report = record.report(route);
    Promise.resolve()
      .then(() => this.ctx.reports.switched(report))
      .catch((e: Error) =>
        this.ctx.logger.warn({ route: this.key, err: e.message }, 'switch report not delivered'),
      );
  }
}

export function routeKey(
  listener: ListenerRuntime,
  profile: string,
  hardware: string | null,
  account: Account,
): string {
  return `${listener.config.name}|${profile}|${hardware ?? ''}|${account.name}`;
}
