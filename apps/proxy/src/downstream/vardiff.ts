// The miner's own difficulty when it states none (no d=, no suggestion), as pools keep one per miner: a shared
// upstream's difficulty follows the whole lane's hashrate, so a small miner on it would find a share every few hours
// and show no hashrate. Once a minute each miner's difficulty moves toward one share every `targetShareS` (listener
// `vardiff`), never above the pool's (sendJob caps it), never below `minDifficulty`; shares under the pool's target
// are accepted here, not forwarded.

import type { VardiffConfig } from '../config.ts';
import { hashesForShare } from '../jobs/difficulty-cache.ts';
import type { MinerSession } from './miner-session.ts';

export const VARDIFF = {
  /** How long a retarget looks back. */
  windowS: 60,
  /** At most this factor per retarget, either way; a window without a share lowers it by this much. */
  maxStep: 4,
} as const;

/**
 * Pure: the difficulty after a window of `windowS` seconds that held `shares` shares at `difficulty`. Within a factor
 * of 2 of the aim it stays (a minute's few shares vary by half either way: no set_difficulty for noise); else it
 * moves at most `maxStep`, to a power of two (few distinct values: one cached target each, shared by many miners).
 */
export function nextDifficulty(
  difficulty: number,
  shares: number,
  windowS: number,
  config: VardiffConfig,
): number {
  const { maxStep } = VARDIFF;
  const ideal = shares === 0 ? difficulty / maxStep : (difficulty * shares * config.targetShareS) / windowS;
  if (shares > 0 && ideal > difficulty / 2 && ideal < difficulty * 2) return difficulty;
  const stepped = Math.min(difficulty * maxStep, Math.max(difficulty / maxStep, ideal));
  return Math.max(config.minDifficulty, 2 ** Math.round(Math.log2(stepped)));
}

/**
 * Once a window has passed: the miner's difficulty for its next job (`vardiffDifficulty`; 0 follows the pool's).
 * Miners that chose theirs (`d=`, suggest_difficulty) keep it.
 */
export function retarget(s: MinerSession, nowS: number): void {
  const upstream = s.upstream;
  if (upstream === null || !upstream.open || s.joining === upstream) {
    // No work to mine (no pool yet, its connection down, or waiting for its next job after one): no share is
    // no sign of a small miner, so the window starts again once there is work.
    s.vardiffSinceS = nowS;
    s.vardiffHashes = 0;
    return;
  }
  const windowS = nowS - s.vardiffSinceS;
  if (windowS < VARDIFF.windowS) return;
  const hashes = s.vardiffHashes;
  s.vardiffSinceS = nowS;
  s.vardiffHashes = 0;
  const pool = upstream.difficulty;
  const config = s.listener.config.vardiff;
  if (s.state !== 'authorized' || config.targetShareS === 0) return;
  if (s.login?.difficulty !== undefined || s.suggestedDifficulty !== 0) return;
  const current = s.vardiffDifficulty === 0 ? pool : Math.min(s.vardiffDifficulty, pool);
  // The window's shares in units of `current`: each counted at the difficulty it was judged at, since a change
  // reaches the miner only with its next job (and old jobs keep theirs).
  const shares = hashes / hashesForShare(s.listener.config.algorithm, current);
  const next = nextDifficulty(current, shares, windowS, config);
  s.vardiffDifficulty = next >= pool ? 0 : next;
}
