// Which target a route should mine, from its decision, the pools that are down and the fallback: a pure function.
//
// Order of preference: the decision's choice; else (choice down) the next ranked target that is up, usable by
// this listener and account (trigger 'failover'); back to the choice once it is up (trigger 'recovery').
// Never decided because the source failed → the listener's fallback pool, if the account has a wallet for its coin.
// Nothing usable → keep the current target (fail-static); null means "keep what you have".

import type { ProxyDecision, SwitchTrigger, Target } from '../ports.ts';

export interface ChoiceInput {
  decision: ProxyDecision | null;
  /** The route has asked and the source failed (no decision at all yet, or only errors). */
  decisionFailed: boolean;
  fallback: Target | undefined;
  current: Target | null;
  /** How the route came to its current target. */
  currentTrigger: SwitchTrigger | null;
  /** The listener can dial it (algorithm, dialect) and the account has a wallet for its coin. */
  usable(target: Target): boolean;
  isDown(poolKey: string): boolean;
}

export interface Choice {
  target: Target;
  trigger: SwitchTrigger;
  reason: string;
}

export function chooseTarget(i: ChoiceInput): Choice | null {
  const { decision, current } = i;
  const currentUp = current !== null && !i.isDown(current.poolKey);
  if (decision === null || decision.chosen === null) {
    if (currentUp) return null;
    if (decision === null && current === null && !i.decisionFailed) return null; // first answer pending
    const ranked = decision === null ? undefined : firstUp(i, decision.ranked.filter(i.usable));
    if (ranked !== undefined)
      return { target: ranked, trigger: current ? 'failover' : 'decision', reason: decision!.reason };
    return fallback(i, decision === null ? 'no decision (decision source unavailable)' : decision.reason);
  }
  const chosen = decision.chosen;
  const candidates = unique([chosen, ...decision.ranked]).filter(i.usable);
  const best = firstUp(i, candidates);
  if (best === undefined)
    return currentUp ? null : fallback(i, `no ranked target is up (${decision.reason})`);
  if (best.poolKey === chosen.poolKey) {
    const recovering =
      current !== null && current.poolKey !== chosen.poolKey && i.currentTrigger === 'failover';
    return { target: best, trigger: recovering ? 'recovery' : 'decision', reason: decision.reason };
  }
  if (candidates.some((t) => t.poolKey === chosen.poolKey)) {
    return { target: best, trigger: 'failover', reason: `${chosen.poolKey} is down: next ranked target` };
  }
  return {
    target: best,
    trigger: 'decision',
    reason: `${decision.reason}; ${chosen.poolKey} cannot be mined here (algorithm, endpoints or wallet): next ranked`,
  };
}

/**
 * The target to keep warm beside the current one: the first of the decision's choice and ranked targets that this
 * route could mine and is not mining, and that is up. A switch or failover usually goes there (the runner-up), so
 * its pool connections are held open beforehand. Null without a decision or when no other target qualifies.
 */
export function standbyTarget(
  i: Pick<ChoiceInput, 'decision' | 'current' | 'usable' | 'isDown'>,
): Target | null {
  const d = i.decision;
  if (d === null) return null;
  const candidates = d.chosen === null ? d.ranked : [d.chosen, ...d.ranked];
  return (
    candidates.find((t) => t.poolKey !== i.current?.poolKey && !i.isDown(t.poolKey) && i.usable(t)) ?? null
  );
}

function firstUp(i: ChoiceInput, targets: Target[]): Target | undefined {
  return targets.find((t) => !i.isDown(t.poolKey));
}

/** The listener's fallback pool, when this account can mine it (a wallet for its coin): else nothing to move to. */
function fallback(i: ChoiceInput, why: string): Choice | null {
  const f = i.fallback;
  if (f === undefined || f.poolKey === i.current?.poolKey || !i.usable(f)) return null;
  return {
    target: f,
    trigger: i.current === null ? 'fallback' : 'failover',
    reason: `${why}: listener fallback pool`,
  };
}

function unique(targets: Target[]): Target[] {
  const seen = new Set<string>();
  return targets.filter((t) => !seen.has(t.poolKey) && seen.add(t.poolKey));
}
