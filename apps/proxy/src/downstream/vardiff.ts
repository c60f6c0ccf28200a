// The miner's own difficulty when it states none (no d=, no suggestion), as pools keep one per miner: a shared
// upstream's difficulty follows the whole lane's hashrate, so a small miner on it would find a share every few hours
// and show no hashrate. Once a minute each miner's difficulty moves toward one share every `targetShareS` (listener
// `vardiff`), never above the pool's (sendJob caps it), never below `minDifficulty`; shares under the pool's target
// are accepted here, not forwarded.

import type { VardiffConfig } from '../config.ts';
import type { MinerSession } from './miner-session.ts';

export const VARDIFF = {
  /** How long a retarget looks back. */
  windowS: 60,
  /** At most this factor per retarget, either way; a window without a share lowers it by this much. */
  maxStep: 4,
} as const;

/** Pure: the difficulty after a window of `windowS` seconds that held `shares` shares at `difficulty`. */
export function nextDifficulty(
  difficulty: number,
  shares: number,
  windowS: number,
  config: VardiffConfig,
): number {
  const { maxStep } = VARDIFF;
  const ideal = shares === 0 ? difficulty / maxStep : (difficulty * shares * config.targetShareS) / windowS;
  return Math.max(
    config.minDifficulty,
    Math.min(difficulty * maxStep, Math.max(difficulty / maxStep, ideal)),
  );
}

/**
 * Once a window has passed: the miner's difficulty for its next job (`vardiffDifficulty`; 0 follows the pool's).
 * Miners that chose theirs (`d=`, suggest_difficulty) keep it.
 */
export function retarget(s: MinerSession, nowS: number): void {
  const windowS = nowS - s.vardiffSinceS;
  if (windowS < VARDIFF.windowS) return;
  const shares = s.vardiffShares;
  s.vardiffSinceS = nowS;
  s.vardiffShares = 0;
  const pool = s.upstream?.difficulty;
  const config = s.listener.config.vardiff;
  if (s.state !== 'authorized' || pool === undefined || config.targetShareS === 0) return;
  if (s.login?.difficulty !== undefined || s.suggestedDifficulty !== 0) return;
  const current = s.vardiffDifficulty === 0 ? pool : Math.min(s.vardiffDifficulty, pool);
  const next = nextDifficulty(current, shares, windowS, config);
  s.vardiffDifficulty = next >= pool ? 0 : next;
}
