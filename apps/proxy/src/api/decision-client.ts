// DecisionSource over the API: GET /v1/decision (with `current` + `since`, so the profile's threshold and dwell
// apply) mapped to the proxy's decision, and the event stream's events handed to subscribers. Any failure is a
// rejection: the core keeps the route where it is (fail-static).

import { decisionResponse } from '@smart-mining/api-contract';
import type { z } from 'zod';
import type {
  CurrentTarget,
  DecisionEvent,
  DecisionRoute,
  DecisionSource,
  ProxyDecision,
  Target,
} from '../ports.ts';
import type { ApiClient } from './api-client.ts';

type DecisionAnswer = z.infer<typeof decisionResponse>;
type TargetAnswer = NonNullable<DecisionAnswer['chosen']>;

/** Where decision events come from (the SSE subscriber, or nothing). */
export interface DecisionEventFeed {
  subscribe(onEvent: (event: DecisionEvent) => void): () => void;
}

/** The query string of GET /v1/decision for a route mining `current` (or nothing yet). */
export function decisionQuery(route: DecisionRoute, current: CurrentTarget | null): string {
  const q = new URLSearchParams();
  q.set('profile', route.profile);
  if (route.hardware !== null) q.set('hardware', route.hardware);
  // With hardware the API knows the algorithms it mines; the listener's algorithm narrows it to what it serves.
  q.set('algorithms', route.algorithms.join(','));
  const measured = route.hashrateHs?.filter((h) => Number.isFinite(h) && h > 0);
  if (route.hardware === null && measured && measured.length === route.algorithms.length)
    q.set('hashrateHs', measured.join(','));
  if (current) {
    q.set('current', current.poolKey);
    q.set('since', current.since.toISOString());
  }
  return q.toString();
}

/** One ranked target of the answer as the proxy's Target (value per H/s from the revenue at the asked rate). */
export function toTarget(t: TargetAnswer): Target {
  return {
    poolKey: t.poolKey,
    coin: t.coin,
    algorithm: t.algorithm,
    feeFraction: t.feeFraction,
    usdPerHsDay: t.hashrateHs > 0 ? t.revenueUsdPerDay / t.hashrateHs : null,
    endpoints: t.endpoints.map((e) => ({ host: e.host, port: e.port, tls: e.tls, dialect: e.dialect })),
  };
}

export function toDecision(answer: DecisionAnswer): ProxyDecision {
  const { dwellS, minDwellS } = answer.inputs;
  return {
    chosen: answer.chosen ? toTarget(answer.chosen) : null,
    ranked: answer.ranked.map(toTarget),
    reason: answer.reason,
    snapshotAgeS: answer.snapshotAgeS,
    inputs: answer.inputs,
    route: answer.route,
    ...(dwellS !== null && dwellS < minDwellS ? { dwellLeftS: minDwellS - dwellS } : {}),
  };
}

export class HttpDecisionSource implements DecisionSource {
  readonly #client: ApiClient;
  readonly #feed: DecisionEventFeed | undefined;

  constructor(client: ApiClient, feed?: DecisionEventFeed) {
    this.#client = client;
    this.#feed = feed;
  }

  async decide(route: DecisionRoute, current: CurrentTarget | null): Promise<ProxyDecision> {
    const answer = await this.#client.get(`/v1/decision?${decisionQuery(route, current)}`, decisionResponse);
    return toDecision(answer);
  }

  subscribe(onChange: (event: DecisionEvent) => void): () => void {
    return this.#feed?.subscribe(onChange) ?? (() => {});
  }
}
