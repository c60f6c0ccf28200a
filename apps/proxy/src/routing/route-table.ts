// Routes by key: authorized miners join theirs; decision events, pool health changes and the tick reach them all.

import type { MinerSession } from '../downstream/miner-session.ts';
import type { DecisionEvent } from '../ports.ts';
import { Route, routeKey } from './route.ts';

export class RouteTable {
  readonly #routes = new Map<string, Route>();

  /** An authorized miner joins the route of its listener, profile, hardware and account. */
  join(s: MinerSession, profile: string, hardware: string | null): Route {
    const account = s.account!;
    const key = routeKey(s.listener, profile, hardware, account);
    let route = this.#routes.get(key);
    if (route === undefined) {
      route = new Route(s.ctx, s.listener, profile, hardware, account);
      this.#routes.set(key, route);
    }
    route.add(s);
    return route;
  }

  /** rankings-changed and catch-up reach every route; a profile change only that profile's. */
  decisionEvent(event: DecisionEvent): void {
    for (const route of this.#routes.values()) {
      if (event.kind === 'profile-changed' && route.profile !== event.profile) continue;
      route.decisionChanged();
    }
  }

  /** A pool went down or came back: every route re-evaluates its decision. */
  poolChanged(): void {
    for (const route of this.#routes.values()) route.evaluate();
  }

  tick(nowMs: number, routeIdleS: number): void {
    for (const [key, route] of this.#routes) {
      if (route.miners.size === 0 && nowMs - route.emptySinceMs >= routeIdleS * 1000)
        this.#routes.delete(key);
      else route.tick(nowMs);
    }
  }

  all(): IterableIterator<Route> {
    return this.#routes.values();
  }

  get size(): number {
    return this.#routes.size;
  }
}
